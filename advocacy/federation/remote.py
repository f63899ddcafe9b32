"""Reading another installation's documents: its WebFinger entry and its actor.

Only over HTTPS, to a public address, within ``FEDERATION_TIMEOUT`` seconds and
``MAX_DOCUMENT`` bytes. ``FEDERATION_ALLOW_PRIVATE`` lets a test run or a
private network use plain HTTP and local addresses.
"""

import ipaddress
import json
import socket
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests
from flask import current_app
from flask_babel import gettext as _

from advocacy.federation.documents import MEDIA_TYPE, USERNAME
from advocacy.federation.keys import load_public

MAX_DOCUMENT = 100_000


class Unreachable(Exception):
    """The other installation could not be read; the message says why."""


@dataclass
class RemoteActor:
    actor_url: str
    name: str
    inbox_url: str
    key_id: str
    public_pem: str


def check_address(url: str) -> str:
    """``url`` if it may be fetched, else ``Unreachable``."""
    parts = urlsplit(url)
    allow_private = current_app.config["FEDERATION_ALLOW_PRIVATE"]
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise Unreachable(_("The address must start with https:// and name a host."))
    if len(url) > 500:
        raise Unreachable(_("The address is too long (500 characters at most)."))
    if not allow_private:
        try:
            found = socket.getaddrinfo(parts.hostname, parts.port or 443)
        except (OSError, UnicodeError) as exc:
            raise Unreachable(_("This host name is unknown.")) from exc
        for *_rest, address in found:
            ip = ipaddress.ip_address(address[0])
            if not ip.is_global:
                raise Unreachable(_("This address is not on the public Internet."))
    return url


def get_json(url: str, accept: str = MEDIA_TYPE) -> dict:
    """The JSON document at ``url``."""
    check_address(url)
    try:
        with requests.get(
            url,
            headers={"Accept": accept},
            timeout=current_app.config["FEDERATION_TIMEOUT"],
            allow_redirects=False,
            stream=True,
        ) as answer:
            if answer.status_code != 200:
                raise Unreachable(
                    _(
                        "The installation answered %(status)d.",
                        status=answer.status_code,
                    )
                )
            body = answer.raw.read(MAX_DOCUMENT + 1, decode_content=True)
    except requests.RequestException as exc:
        raise Unreachable(_("The installation could not be reached.")) from exc
    if len(body) > MAX_DOCUMENT:
        raise Unreachable(_("The installation's document is too large."))
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise Unreachable(_("The installation's document is not JSON.")) from exc
    if not isinstance(document, dict):
        raise Unreachable(_("The installation's document is not JSON."))
    return document


def discover(address: str) -> RemoteActor:
    """The installation at ``address`` (its home page's address), through WebFinger."""
    parts = urlsplit(address.strip())
    base = f"{parts.scheme}://{parts.netloc}"
    query = urlencode({"resource": f"acct:{USERNAME}@{parts.netloc}"})
    finger = get_json(f"{base}/.well-known/webfinger?{query}", "application/jrd+json")
    links = finger.get("links")
    href = (
        next(
            (
                link.get("href")
                for link in links
                if isinstance(link, dict)
                and link.get("rel") == "self"
                and link.get("type") == MEDIA_TYPE
            ),
            None,
        )
        if isinstance(links, list)
        else None
    )
    if not isinstance(href, str):
        raise Unreachable(_("This address is not a Porte-voix installation."))
    return read_actor(href)


def read_actor(url: str) -> RemoteActor:
    """The actor document at ``url``, checked: an inbox and an Ed25519 key it owns."""
    document = get_json(url)
    key = document.get("publicKey")
    fields = (
        document.get("id"),
        document.get("inbox"),
        document.get("name"),
        key.get("id") if isinstance(key, dict) else None,
        key.get("owner") if isinstance(key, dict) else None,
        key.get("publicKeyPem") if isinstance(key, dict) else None,
    )
    if not all(isinstance(f, str) and f for f in fields):
        raise Unreachable(_("This address is not a Porte-voix installation."))
    actor_id, inbox, name, key_id, owner, pem = fields
    if actor_id != url or owner != url or load_public(pem) is None:
        raise Unreachable(_("The installation's key cannot be trusted."))
    same_site = {urlsplit(u).netloc for u in (url, inbox, key_id)}
    if len(same_site) != 1 or max(len(u) for u in (inbox, key_id)) > 500:
        raise Unreachable(_("The installation's key cannot be trusted."))
    check_address(inbox)
    return RemoteActor(url, name[:200], inbox, key_id, pem)
