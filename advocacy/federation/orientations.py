"""Orientations: a national position comes down for the regions to amend.

Going down: when this installation opens the consultation on a position, the
position (its text, its sections with their ids and Markdown, the closing
date) is offered (an ``Offer``) to each installation it sends orientations
to, over an active link. Extending the consultation offers it again, with the
new date.

Coming in: the regional installation keeps the orientation (a new offer of the
same position replaces what it kept: the text and the date). Its staff or a
representative import it as a regional position, a "déclinaison régionale":
a draft led by one of their networks, whose sections keep the national ids, so
that what the region amends can go back up on the national sections.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advocacy.extensions import db
from advocacy.federation import documents
from advocacy.federation.deliveries import queue
from advocacy.links import site_url
from advocacy.markup import sanitize_html
from advocacy.models import (
    Arena,
    Network,
    Position,
    PositionState,
    User,
    utcnow,
)
from advocacy.models.federation import LinkPurpose, LinkState, Orientation, Peer
from advocacy.queries.federation import active_peers
from advocacy.sections import Section
from advocacy.services import ServiceError
from advocacy.services.audit import record_event
from advocacy.services.positions import create_position

#: The longest text an orientation may carry (characters), as for a position.
MAX_BODY = 200_000
#: The longest title a position takes.
TITLE_MAX = 200


def orientation(position: Position) -> dict:
    """One of our positions in consultation, as a regional installation reads it."""
    revision = position.current_revision
    address = site_url("positions.show", position_id=position.id)
    return {
        "id": address,
        "type": "Article",
        "attributedTo": documents.actor_url(),
        "url": address,
        "name": position.title,
        "summary": position.summary,
        "content": revision.body_html,
        "mediaType": "text/html",
        "published": position.consultation_opened_at.isoformat(),
        "endTime": position.consultation_closes_at.isoformat(),
        "sections": [
            {
                "id": s["id"],
                "title": Section(id=s["id"], text=s["text"]).title,
                "text": s["text"],
            }
            for s in revision.sections
        ],
    }


def offer(position: Position, *, by: User | None) -> int:
    """Offer ``position`` to every installation we send orientations to; how many."""
    peers = active_peers(LinkPurpose.SENDS_ORIENTATIONS)
    for peer in peers:
        queue(
            peer, documents.activity("Offer", orientation(position), to=peer.actor_url)
        )
        record_event(
            "federation.orientation_send",
            by=by,
            object_type="position",
            object_id=position.id,
            installation=peer.name,
        )
    return len(peers)


# --- coming in -------------------------------------------------------------------


_read = documents.Reader(_l("The orientation is not as Porte-voix describes it."))


def _checked(obj) -> dict:
    if not isinstance(obj, dict) or obj.get("type") != "Article":
        raise _read.refuse()
    sections = obj.get("sections")
    if (
        not isinstance(sections, list)
        or not sections
        or len(sections) > 1000
        or not all(
            isinstance(s, dict)
            and isinstance(s.get("id"), str)
            and 0 < len(s["id"]) <= 16
            and isinstance(s.get("text"), str)
            for s in sections
        )
    ):
        raise _read.refuse()
    if sum(len(s["text"]) for s in sections) > MAX_BODY:
        raise _read.refuse()
    return {
        "remote_id": _read.text(obj.get("id"), 500),
        "title": _read.text(obj.get("name"), 300).strip() or _("Untitled"),
        "summary": _read.text(obj.get("summary", ""), 5000),
        "body_html": sanitize_html(_read.text(obj.get("content"), 4 * MAX_BODY)),
        "closes_at": _read.moment(obj.get("endTime")),
        "sections": [
            {
                "id": s["id"],
                "title": str(s.get("title") or "")[:300],
                "text": s["text"],
            }
            for s in sections
        ],
    }


def receive(activity: dict, peer: Peer) -> Orientation:
    """Keep the position a national installation offered (again)."""
    if peer.purpose is not LinkPurpose.RECEIVES_ORIENTATIONS or (
        peer.state is not LinkState.ACTIVE
    ):
        raise documents.Malformed(_("This link does not carry orientations."))
    data = _checked(activity.get("object"))
    if not documents.same_host(data["remote_id"], peer.actor_url):
        raise _read.refuse()
    kept = db.session.scalar(
        sa.select(Orientation).filter_by(remote_id=data["remote_id"])
    )
    if kept is not None and kept.peer_id != peer.id:
        raise _read.refuse()
    if kept is None:
        kept = Orientation(peer_id=peer.id, **data)
        db.session.add(kept)
    else:
        for name, value in data.items():
            setattr(kept, name, value)
        kept.updated_at = utcnow()
    db.session.flush()
    record_event(
        "federation.orientation_receive",
        by=None,
        object_type="orientation",
        object_id=kept.id,
        installation=peer.name,
        closes_at=data["closes_at"].isoformat(),
    )
    return kept


def declined_by(orientation: Orientation) -> Position | None:
    """The regional position that declines it (one not withdrawn), if any."""
    return db.session.scalar(
        sa.select(Position)
        .where(
            Position.orientation_id == orientation.id,
            Position.state != PositionState.WITHDRAWN,
        )
        .order_by(Position.id.desc())
        .limit(1)
    )


def import_orientation(
    orientation: Orientation, *, lead: Network, by: User
) -> Position:
    """Start the regional position that declines ``orientation``: a draft led by
    ``lead``, its sections keeping the national ids."""
    # the orientation's row is the lock: two imports at once make one position
    db.session.execute(
        sa.update(Orientation)
        .where(Orientation.id == orientation.id)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    existing = declined_by(orientation)
    if existing is not None:
        raise ServiceError(
            _(
                "This orientation is declined already, in “%(title)s”.",
                title=existing.title,
            ),
            409,
        )
    sections = [Section(id=s["id"], text=s["text"]) for s in orientation.sections]
    position = create_position(
        title=orientation.title[:TITLE_MAX],
        summary=orientation.summary[:1000],
        body="\n\n".join(s.text for s in sections),
        lead=lead,
        themes=[],
        arenas=[Arena.REGIONAL, Arena.NATIONAL],
        by=by,
        message=_(
            "Regional declination of the national position of %(chamber)s.",
            chamber=orientation.peer.name,
        ),
        sections=sections,
    )
    position.orientation_id = orientation.id
    db.session.flush()
    record_event(
        "position.orientation_import",
        by=by,
        object_type="position",
        object_id=position.id,
        orientation_id=orientation.id,
        installation=orientation.peer.name,
    )
    return position
