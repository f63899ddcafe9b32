"""What installations say to each other: the actor document, WebFinger, the
context of Porte-voix's own terms, and the activities of a link.

ActivityPub (W3C) objects in JSON-LD. The terms Porte-voix adds (``purpose``
of a link, and later a statement's provenance) are defined by the context
document this installation serves at ``/federation/context``.
"""

import uuid
from datetime import datetime

from flask import current_app

from advocacy.federation.keys import installation_key
from advocacy.links import site_url
from advocacy.models.federation import LinkPurpose

ACTIVITY_STREAMS = "https://www.w3.org/ns/activitystreams"
SECURITY = "https://w3id.org/security/v1"
#: The media type of every document and message.
MEDIA_TYPE = "application/activity+json"
#: The account WebFinger knows the installation by: acct:porte-voix@host.
USERNAME = "porte-voix"
#: What a Follow may ask for: the link's purpose, seen from the one who asks.
ASKABLE = {
    "contributes_to": LinkPurpose.CONTRIBUTES_TO,
    "receives_orientations": LinkPurpose.RECEIVES_ORIENTATIONS,
}


class Malformed(Exception):
    """An activity that does not say what Porte-voix expects (answered 400)."""

    status = 400


class TooLate(Malformed):
    """An activity well made, that came after the moment it was due (409)."""

    status = 409


class Reader:
    """Reads the fields of a received object; the first that is not as described
    refuses it (``Malformed``, 400) with ``message``, the same for every field."""

    def __init__(self, message):
        self.message = message  # lazy: said in the language of the moment

    def refuse(self) -> Malformed:
        return Malformed(str(self.message))

    def text(self, value, limit: int) -> str:
        if not isinstance(value, str) or len(value) > limit:
            raise self.refuse()
        return value

    def whole(self, value, low: int = 0) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise self.refuse()
        return value

    def moment(self, value, *, aware: bool = True) -> datetime:
        try:
            moment = datetime.fromisoformat(self.text(value, 40))
        except ValueError as exc:
            raise self.refuse() from exc
        if aware and moment.tzinfo is None:
            raise self.refuse()
        return moment


def same_host(address: str, other: str) -> bool:
    """Whether two addresses are on the same host (and port)."""
    return address.split("/")[2:3] == other.split("/")[2:3]


def actor_url() -> str:
    return site_url("federation.actor")


def key_id() -> str:
    return actor_url() + "#main-key"


def context() -> list:
    return [ACTIVITY_STREAMS, SECURITY, site_url("federation.context")]


def actor() -> dict:
    """This installation, as other installations read it."""
    me = actor_url()
    return {
        "@context": context(),
        "id": me,
        "type": "Organization",
        "preferredUsername": USERNAME,
        "name": current_app.config["ORGANISATION_NAME"],
        "summary": current_app.config["SITE_NAME"],
        "url": site_url("public.home"),
        "inbox": site_url("federation.inbox"),
        "publicKey": {
            "id": key_id(),
            "owner": me,
            "publicKeyPem": installation_key().public_pem,
        },
    }


def context_document() -> dict:
    """The JSON-LD context of Porte-voix's own terms."""
    base = site_url("federation.context") + "#"
    return {
        "@context": {
            "pv": base,
            "purpose": {"@id": "pv:purpose", "@type": "@vocab"},
            "contributes_to": "pv:contributes_to",
            "receives_orientations": "pv:receives_orientations",
            # a statement (contribution) or a position (orientation)
            "version": "pv:version",
            "sections": {"@id": "pv:sections", "@container": "@list"},
            "text": "pv:text",
            "network": "pv:network",
            "amendment": "pv:amendment",
            "networks": {"@id": "pv:networks", "@container": "@list"},
            "signatories": {"@id": "pv:signatories", "@container": "@list"},
            "building": {"@id": "pv:building", "@type": "@json"},
            # a region's adopted amendments (Add)
            "board": {"@id": "pv:board", "@type": "@json"},
            "number": "pv:number",
            "section": "pv:section",
            "kind": "pv:kind",
            "proposed": "pv:proposed",
            "rationale": "pv:rationale",
            "status": "pv:status",
            "vote": {"@id": "pv:vote", "@type": "@json"},
        }
    }


def webfinger(host: str) -> dict:
    return {
        "subject": f"acct:{USERNAME}@{host}",
        "aliases": [actor_url()],
        "links": [{"rel": "self", "type": MEDIA_TYPE, "href": actor_url()}],
    }


def new_id() -> str:
    return site_url("federation.activity", ident=uuid.uuid4().hex)


def activity(kind: str, obj, *, to: str | None = None, **more) -> dict:
    """A new activity of ours: its context, a fresh id, this installation as its
    actor, addressed ``to`` another installation's actor when given."""
    made = {"@context": context(), "id": new_id(), "type": kind, "actor": actor_url()}
    if to is not None:
        made["to"] = [to]
    return {**made, **more, "object": obj}


def follow(peer_actor: str, purpose: LinkPurpose) -> dict:
    """Ask ``peer_actor`` for a link with this purpose (ours)."""
    asked = next(name for name, p in ASKABLE.items() if p is purpose)
    return activity("Follow", peer_actor, purpose=asked)


def about_follow(kind: str, peer) -> dict:
    """Accept, Reject or Undo the Follow that asked for the link with ``peer``."""
    me = actor_url()
    follower, followed = (
        (me, peer.actor_url) if peer.asked_by_us else (peer.actor_url, me)
    )
    return activity(
        kind,
        {"id": peer.follow_id, "type": "Follow", "actor": follower, "object": followed},
    )
