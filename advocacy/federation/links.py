"""Links between installations: asked for by one side's staff, answered by the
other's, suspended and ended by either. Each step is audited; each that the
other side must know of is sent to it (a Follow, its Accept or Reject, an Undo).
"""

import logging

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advocacy.extensions import db
from advocacy.federation import documents
from advocacy.federation.deliveries import queue
from advocacy.federation.keys import installation_key
from advocacy.federation.remote import RemoteActor, Unreachable, discover
from advocacy.models import User
from advocacy.models.federation import LinkPurpose, LinkState, Peer
from advocacy.queries.federation import peer_by_actor
from advocacy.services import ServiceError
from advocacy.services.audit import record_event

logger = logging.getLogger(__name__)

#: States in which a link stands (asked, answered or paused): not asked again.
STANDING = {
    LinkState.REQUESTED,
    LinkState.PENDING,
    LinkState.ACTIVE,
    LinkState.SUSPENDED,
}


def _audit(action: str, peer: Peer, by: User | None, **payload) -> None:
    record_event(
        f"federation.{action}",
        by=by,
        object_type="peer",
        object_id=peer.id,
        installation=peer.name,
        address=peer.actor_url,
        purpose=peer.purpose.value,
        **payload,
    )
    logger.info("Federation: %s with %s", action, peer.actor_url)


def _known(peer: Peer | None, remote: RemoteActor) -> Peer:
    if peer is None:
        peer = Peer(actor_url=remote.actor_url)
        db.session.add(peer)
    peer.name, peer.inbox_url = remote.name, remote.inbox_url
    peer.key_id, peer.public_pem = remote.key_id, remote.public_pem
    return peer


def ask_link(address: str, purpose: LinkPurpose, *, by: User) -> Peer:
    """Ask the installation at ``address`` for a link: ours to contribute to it,
    or to receive its orientations."""
    if purpose not in documents.ASKABLE.values():
        raise ServiceError(_("Choose what the link is for."), 400, field="purpose")
    try:
        remote = discover(address)
    except Unreachable as exc:
        raise ServiceError(str(exc), 400, field="address") from exc
    if remote.actor_url == documents.actor_url():
        raise ServiceError(
            _("This is this installation's own address."), 400, field="address"
        )
    peer = peer_by_actor(remote.actor_url)
    if peer is not None and peer.state in STANDING:
        raise ServiceError(
            _("A link with %(name)s already exists.", name=peer.name), 409, "address"
        )
    installation_key()  # ours, for the other side to read when the Follow comes
    peer = _known(peer, remote)
    follow = documents.follow(remote.actor_url, purpose)
    peer.purpose, peer.state, peer.asked_by_us = purpose, LinkState.REQUESTED, True
    peer.follow_id = follow["id"]
    db.session.flush()
    queue(peer, follow)
    _audit("link_ask", peer, by)
    return peer


def _require(peer: Peer, *states: LinkState) -> None:
    if peer.state not in states:
        raise ServiceError(
            _(
                "This link cannot do that now (it is %(state)s).",
                state=state_label(peer),
            )
        )


def accept_link(peer: Peer, *, by: User) -> None:
    """Accept the link another installation asked for."""
    _require(peer, LinkState.PENDING)
    peer.state = LinkState.ACTIVE
    queue(peer, documents.about_follow("Accept", peer))
    _audit("link_accept", peer, by)


def refuse_link(peer: Peer, *, by: User) -> None:
    """Refuse the link another installation asked for."""
    _require(peer, LinkState.PENDING)
    peer.state = LinkState.REFUSED
    queue(peer, documents.about_follow("Reject", peer))
    _audit("link_refuse", peer, by)


def suspend_link(peer: Peer, *, by: User) -> None:
    """Pause a link: nothing is sent to it, what it sends is refused."""
    _require(peer, LinkState.ACTIVE)
    peer.state = LinkState.SUSPENDED
    _audit("link_suspend", peer, by)


def resume_link(peer: Peer, *, by: User) -> None:
    _require(peer, LinkState.SUSPENDED)
    peer.state = LinkState.ACTIVE
    _audit("link_resume", peer, by)


def end_link(peer: Peer, *, by: User) -> None:
    """End a link, or withdraw our request; the other installation is told."""
    _require(peer, LinkState.ACTIVE, LinkState.SUSPENDED, LinkState.REQUESTED)
    peer.state = LinkState.ENDED
    queue(peer, documents.about_follow("Undo" if peer.asked_by_us else "Reject", peer))
    _audit("link_end", peer, by)


# --- what the other installation tells us ----------------------------------------


def _follow_of(activity: dict, peer: Peer) -> None:
    """The activity's object must be the Follow that asked for this link."""
    obj = activity.get("object")
    follow_id = obj.get("id") if isinstance(obj, dict) else obj
    if follow_id != peer.follow_id:
        raise documents.Malformed(_("The activity is about no Follow of this link."))


def receive_follow(activity: dict, remote: RemoteActor, peer: Peer | None) -> Peer:
    """Another installation asks for a link: our staff will answer."""
    purpose = documents.ASKABLE.get(activity.get("purpose"))
    if purpose is None:
        raise documents.Malformed(_("The Follow does not say what the link is for."))
    if activity.get("object") != documents.actor_url():
        raise documents.Malformed(_("The Follow is addressed to another installation."))
    if peer is not None and peer.state in STANDING:
        return peer  # asked again: the link stands as it is
    peer = _known(peer, remote)
    peer.purpose, peer.state, peer.asked_by_us = (
        purpose.mirror,
        LinkState.PENDING,
        False,
    )
    peer.follow_id = activity["id"]
    db.session.flush()
    _audit("link_asked", peer, None)
    return peer


def receive_answer(activity: dict, peer: Peer) -> None:
    """Accept, Reject or Undo from the other installation."""
    _follow_of(activity, peer)
    kind = activity["type"]
    if kind == "Accept" and peer.asked_by_us and peer.state is LinkState.REQUESTED:
        peer.state = LinkState.ACTIVE
        _audit("link_accepted", peer, None)
    elif kind == "Reject" and peer.state is LinkState.REQUESTED:
        peer.state = LinkState.REFUSED
        _audit("link_refused", peer, None)
    elif kind in ("Reject", "Undo") and peer.state in STANDING:
        peer.state = LinkState.ENDED
        _audit("link_ended", peer, None)


STATE_LABELS = {
    LinkState.REQUESTED: _l("asked, awaiting their answer"),
    LinkState.PENDING: _l("awaiting our answer"),
    LinkState.ACTIVE: _l("active"),
    LinkState.REFUSED: _l("refused"),
    LinkState.SUSPENDED: _l("suspended"),
    LinkState.ENDED: _l("ended"),
}


def state_label(peer: Peer) -> str:
    return str(STATE_LABELS[peer.state])
