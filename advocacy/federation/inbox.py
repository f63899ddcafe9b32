"""The inbox: what another installation posts, checked, then acted on.

In order: the body must be an activity (400), the key a linked installation's
or, for a Follow, its actor's (403), the signature, digest and time must hold
(401), the actor must be the signer (403), the link must not be suspended
(403). An activity received already changes nothing. See docs/federation.md.
"""

import json
import logging

from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.federation import (
    contributions,
    documents,
    links,
    orientations,
    regional_amendments,
)
from advocacy.federation.keys import load_public
from advocacy.federation.remote import RemoteActor, Unreachable, read_actor
from advocacy.federation.signatures import BadSignature, UnknownKey, verify
from advocacy.models.federation import (
    FederationMessage,
    LinkState,
    MessageDirection,
    MessageStatus,
    Peer,
)
from advocacy.queries import federation as federation_queries

logger = logging.getLogger(__name__)

#: What the inbox acts on; anything else is refused as malformed.
ACTIVITIES = {"Follow", "Accept", "Reject", "Undo", "Create", "Update", "Offer", "Add"}


class Refusal(Exception):
    def __init__(self, status: int, reason: str, peer: Peer | None = None):
        super().__init__(reason)
        self.status, self.reason, self.peer = status, reason, peer


def _activity(body: bytes) -> dict:
    try:
        activity = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refusal(400, _("The body is not JSON.")) from exc
    if not isinstance(activity, dict):
        raise Refusal(400, _("The body is not an activity."))
    for name in ("id", "type", "actor"):
        value = activity.get(name)
        if not isinstance(value, str) or not value or len(value) > 500:
            raise Refusal(400, _("The activity has no valid %(name)s.", name=name))
    if activity["type"] not in ACTIVITIES:
        raise Refusal(
            400,
            _(
                "Porte-voix does not take %(type)s activities.",
                type=activity["type"][:40],
            ),
        )
    return activity


def _signer(body: bytes, activity: dict, method: str, url: str, headers):
    """(the peer that signed, or the installation asking to follow, its actor)."""
    found = {}

    def public_key(key_id: str):
        found["key_id"] = key_id
        peer = federation_queries.peer_by_key(key_id)
        if peer is not None:
            found["peer"] = peer
            return load_public(peer.public_pem)
        if activity["type"] == "Follow" and key_id.split("#")[0] == activity["actor"]:
            try:
                remote = read_actor(activity["actor"])
            except Unreachable:
                return None
            if remote.key_id == key_id:
                found["remote"] = remote
                return load_public(remote.public_pem)
        return None

    try:
        verify(method, url, headers, body, public_key)
    except UnknownKey as exc:
        raise Refusal(403, _("This installation is not linked to us.")) from exc
    except BadSignature as exc:
        raise Refusal(
            401,
            _("The signature does not hold: %(why)s", why=str(exc)[:300]),
            found.get("peer"),
        ) from exc
    return found.get("peer"), found.get("remote")


def _act(activity: dict, body: bytes, method: str, url: str, headers) -> Peer:
    peer, remote = _signer(body, activity, method, url, headers)
    signer = peer.actor_url if peer is not None else remote.actor_url
    if activity["actor"] != signer:
        raise Refusal(403, _("The activity was not signed by its actor."), peer)
    if peer is not None and peer.state is LinkState.SUSPENDED:
        raise Refusal(403, _("This link is suspended."), peer)
    if federation_queries.was_received(activity["id"]):
        return peer  # a replay: acted on already, nothing changes
    try:
        if activity["type"] == "Follow":
            peer = links.receive_follow(activity, remote or _remote_of(peer), peer)
        elif peer is None or peer.state in (LinkState.ENDED, LinkState.REFUSED):
            raise Refusal(403, _("This installation is not linked to us."), peer)
        elif activity["type"] in ("Create", "Update"):
            contributions.receive(activity, peer)
        elif activity["type"] == "Offer":
            orientations.receive(activity, peer)
        elif activity["type"] == "Add":
            regional_amendments.receive(activity, peer)
        else:
            links.receive_answer(activity, peer)
    except documents.Malformed as exc:
        raise Refusal(exc.status, str(exc), peer) from exc
    db.session.add(
        FederationMessage(
            direction=MessageDirection.IN,
            peer_id=peer.id,
            activity_id=activity["id"],
            activity_type=activity["type"],
            status=MessageStatus.RECEIVED,
            activity=activity,
        )
    )
    db.session.flush()
    return peer


def _remote_of(peer: Peer) -> RemoteActor:
    return RemoteActor(
        peer.actor_url, peer.name, peer.inbox_url, peer.key_id, peer.public_pem
    )


def receive(method: str, url: str, headers, body: bytes) -> Peer:
    """Check and act on one posted activity, in the caller's transaction;
    ``Refusal`` says why not (nothing is then to be kept)."""
    return _act(_activity(body), body, method, url, headers)


def record_refusal(refusal: Refusal, body: bytes) -> None:
    """Staff see the refusals of what a known installation sent; the rest is
    only logged (anyone can post junk: it writes nothing)."""
    logger.warning("Federation inbox: refused (%s) %s", refusal.status, refusal.reason)
    peer = refusal.peer
    if peer is None:
        return
    try:
        activity = json.loads(body)
    except ValueError:
        activity = {}
    activity = activity if isinstance(activity, dict) else {}
    db.session.add(
        FederationMessage(
            direction=MessageDirection.IN,
            peer_id=peer.id,
            activity_id=str(activity.get("id", ""))[:500],
            activity_type=str(activity.get("type", ""))[:40],
            status=MessageStatus.REFUSED,
            reason=refusal.reason,
            activity={"id": activity.get("id"), "type": activity.get("type")},
        )
    )
