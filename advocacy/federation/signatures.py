"""Signed messages: HTTP Message Signatures (RFC 9421) with Ed25519.

Every request one installation sends another is signed over its method, its
address, its type and the digest of its body (``Content-Digest``); the
signature's ``created`` time must be within ``SKEW`` of the receiver's clock.
The ``http-message-signatures`` library does the signing and the checking, on
keys from ``cryptography``.
"""

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

from http_message_signatures import (
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    algorithms,
)
from http_message_signatures.exceptions import InvalidSignature

#: How far a signature's time may be from ours, either way.
SKEW = timedelta(minutes=5)
#: The application tag (RFC 9421 §2.3) of the signatures Porte-voix makes.
TAG = "porte-voix"
COVERED = ("@method", "@target-uri", "content-type")


class UnknownKey(Exception):
    """The signature names a key of no installation we are linked to."""


class BadSignature(Exception):
    """The message is not signed, or not as it claims, or not now."""


class _Keys(HTTPSignatureKeyResolver):
    def __init__(self, private=None, public: Callable | None = None):
        self.private, self.public = private, public

    def resolve_private_key(self, key_id: str):
        return self.private

    def resolve_public_key(self, key_id: str):
        key = self.public(key_id)
        if key is None:
            raise UnknownKey(key_id)
        return key


class _Verifier(HTTPMessageVerifier):
    max_clock_skew = SKEW


def sign(request, key_id: str, private_key) -> None:
    """Sign a prepared ``requests`` request (its ``Content-Digest`` added)."""
    HTTPMessageSigner(
        signature_algorithm=algorithms.ED25519, key_resolver=_Keys(private=private_key)
    ).sign(
        request,
        key_id=key_id,
        tag=TAG,
        covered_component_ids=COVERED,
        body=request.body or b"",
    )


def verify(method: str, url: str, headers, body: bytes, public_key: Callable) -> str:
    """The key id that signed this request; ``public_key(key_id)`` finds the key
    (None: unknown, ``UnknownKey``). ``BadSignature`` when it does not hold."""
    message = SimpleNamespace(method=method, url=url, headers=headers)
    verifier = _Verifier(
        signature_algorithm=algorithms.ED25519, key_resolver=_Keys(public=public_key)
    )
    try:
        results = verifier.verify(
            message,
            max_age=timedelta(0),
            expect_tag=TAG,
            require_components=("@method", "@target-uri", "content-digest"),
            body=body,
        )
    except InvalidSignature as exc:
        if isinstance(exc.__cause__, UnknownKey):
            raise exc.__cause__ from None
        raise BadSignature(str(exc) or "the signature does not match") from exc
    except Exception as exc:  # a malformed header the library cannot parse
        raise BadSignature(str(exc)) from exc
    return results[0].parameters["keyid"]
