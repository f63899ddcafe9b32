"""This installation's key pair: made once, kept in the database, never sent."""

import hashlib

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from advocacy.extensions import db
from advocacy.models.federation import InstallationKey


def installation_key() -> InstallationKey:
    """The key pair, made now if this is the first time anyone needs it.

    Made in the caller's transaction. Two processes making it at once: the
    first wins (the row's id is fixed), the other reads it."""
    key = db.session.get(InstallationKey, 1)
    if key is not None:
        return key
    private = Ed25519PrivateKey.generate()
    made = InstallationKey(
        id=1,
        private_pem=private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        public_pem=public_pem(private.public_key()),
    )
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except sa.exc.IntegrityError:  # made meanwhile by another process
        return db.session.get(InstallationKey, 1, populate_existing=True)
    return made


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def private_key() -> Ed25519PrivateKey:
    return serialization.load_pem_private_key(
        installation_key().private_pem.encode(), password=None
    )


def load_public(pem: str) -> Ed25519PublicKey | None:
    """A peer's public key, or None if the text is not an Ed25519 public key."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def fingerprint(pem: str) -> str:
    """What staff compare by telephone: the SHA-256 of the public key, grouped."""
    digest = hashlib.sha256(pem.strip().encode()).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))
