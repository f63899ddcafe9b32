"""What a region adopts on a national position goes back up.

Going up (the region): when the board approves a position that declines a
national orientation, the amendments the region adopted (by its vote, or
integrated by consensus), each with its vote results by family and by
département, and the board's decision go to the national installation as an
``Add`` whose target is the national position. Staff may send them again by
hand (after a link was resumed, say).

Coming in (the national level): kept on the national position, section by
section, attributed to the region, if they arrive while its consultation is
open; refused with the reason (409) otherwise. A region's new sending replaces
its previous one.
"""

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advocacy.extensions import db
from advocacy.federation import documents
from advocacy.federation.deliveries import queue
from advocacy.links import site_url
from advocacy.markup import render_markdown
from advocacy.models import (
    Amendment,
    AmendmentStatus,
    BallotChoice,
    BoardDecision,
    Motion,
    Network,
    Position,
    PositionState,
    User,
    utcnow,
)
from advocacy.models.federation import (
    FederationMessage,
    LinkPurpose,
    LinkState,
    Peer,
    RegionalAmendment,
    RegionalSubmission,
)
from advocacy.queries.votes import breakdown, current_motions
from advocacy.services import ServiceError
from advocacy.services.audit import record_event

KINDS = {"replace", "insert_after", "delete"}
STATUSES = {
    AmendmentStatus.ADOPTED: "adopted",
    AmendmentStatus.INTEGRATED: "integrated",
}
#: The most amendments one sending may carry.
MAX_ITEMS = 500


def _counts(by_choice: dict) -> dict:
    return {
        "for": by_choice.get(BallotChoice.FOR, 0),
        "against": by_choice.get(BallotChoice.AGAINST, 0),
        "abstain": by_choice.get(BallotChoice.ABSTAIN, 0),
    }


def _adopted(position: Position) -> list[dict]:
    """The amendments the region adopted, with their votes, as they go up."""
    amendments = db.session.scalars(
        sa.select(Amendment)
        .where(
            Amendment.position_id == position.id,
            Amendment.status.in_(list(STATUSES)),
        )
        .order_by(Amendment.number)
    ).all()
    motions = {
        m.amendment_id: m
        for m in db.session.scalars(
            current_motions(position).where(Motion.amendment_id.is_not(None))
        )
    }
    ids = [m.id for m in motions.values()]
    families = breakdown(ids, Network.family)
    departments = breakdown(ids, Network.department)
    items = []
    for a in amendments:
        motion = motions.get(a.id)
        vote = None
        if a.status is AmendmentStatus.ADOPTED and motion is not None:
            vote = {
                "for": motion.votes_for or 0,
                "against": motion.votes_against or 0,
                "abstain": motion.votes_abstain or 0,
                "eligible": motion.eligible_count,
                "passed": bool(motion.passed),
                "families": {
                    k.value: _counts(v) for k, v in families[motion.id].items()
                },
                "departments": {
                    k.value: _counts(v) for k, v in departments[motion.id].items()
                },
            }
        items.append(
            {
                "type": "Note",
                "id": site_url(
                    "positions.amendment_show",
                    position_id=position.id,
                    number=a.number,
                ),
                "number": a.number,
                "section": a.section_id,
                "kind": a.kind.value,
                "proposed": a.proposed,
                "rationale": a.rationale,
                "network": a.network.name,
                "status": STATUSES[a.status],
                "vote": vote,
            }
        )
    return items


def _board(position: Position) -> dict:
    decisions = db.session.scalars(
        sa.select(BoardDecision)
        .filter_by(position_id=position.id, round=position.board_round)
        .order_by(BoardDecision.id)
    ).all()
    return {
        "decision": position.state.value,
        "decidedAt": position.decided_at.isoformat() if position.decided_at else None,
        # the motivations, each once, without names
        "motivations": list(dict.fromkeys(d.motivation for d in decisions)),
    }


def send_up(position: Position, *, by: User | None) -> FederationMessage:
    """Send what the region adopted on ``position`` to the national installation
    whose orientation it declines."""
    orientation = position.orientation
    if orientation is None:
        raise ServiceError(_("This position declines no national orientation."), 409)
    if position.state not in (PositionState.APPROVED, PositionState.PUBLISHED):
        raise ServiceError(
            _("What the region adopted goes up once the board has approved it."), 409
        )
    peer = orientation.peer
    if peer.purpose is not LinkPurpose.RECEIVES_ORIENTATIONS or (
        peer.state is not LinkState.ACTIVE
    ):
        raise ServiceError(
            _("The link with %(chamber)s is not active.", chamber=peer.name), 409
        )
    address = site_url("positions.show", position_id=position.id)
    adopted = {
        "type": "Collection",
        "id": address,
        "url": address,
        "name": position.title,
        "board": _board(position),
        "items": _adopted(position),
    }
    message = queue(
        peer,
        documents.activity(
            "Add", adopted, to=peer.actor_url, target=orientation.remote_id
        ),
    )
    orientation.sent_message_id = message.id
    record_event(
        "federation.amendments_send",
        by=by,
        object_type="position",
        object_id=position.id,
        installation=peer.name,
    )
    return message


def on_approval(position: Position, *, by: User | None) -> None:
    """When the board approves a declination, what it adopted goes up (a link
    not active is said in the audit log; staff send it again by hand)."""
    if position.orientation_id is None:
        return
    try:
        send_up(position, by=by)
    except ServiceError as exc:
        record_event(
            "federation.amendments_not_sent",
            by=by,
            object_type="position",
            object_id=position.id,
            reason=exc.message,
        )


# --- coming in -------------------------------------------------------------------


_read = documents.Reader(
    _l("The regional amendments are not as Porte-voix describes them.")
)


def _tally(value) -> dict:
    if not isinstance(value, dict):
        raise _read.refuse()
    return {k: _read.whole(value.get(k, 0)) for k in ("for", "against", "abstain")}


def _vote(value) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _read.refuse()
    groups = {}
    for name in ("families", "departments"):
        given = value.get(name, {})
        if not isinstance(given, dict) or len(given) > 200:
            raise _read.refuse()
        groups[name] = {str(k)[:40]: _tally(v) for k, v in given.items()}
    return {
        **_tally(value),
        "eligible": _read.whole(value.get("eligible", 0)),
        "passed": bool(value.get("passed")),
        **groups,
    }


def _item(value, host: str) -> dict:
    if not isinstance(value, dict):
        raise _read.refuse()
    remote_id = _read.text(value.get("id"), 500)
    if not documents.same_host(remote_id, host):
        raise _read.refuse()
    kind = value.get("kind")
    status = value.get("status")
    if kind not in KINDS or status not in STATUSES.values():
        raise _read.refuse()
    section = _read.text(value.get("section"), 16)
    proposed = _read.text(value.get("proposed", ""), 200_000)
    rationale = _read.text(value.get("rationale", ""), 20_000)
    return {
        "remote_id": remote_id,
        "number": _read.whole(value.get("number")),
        "section_id": section,
        "kind": kind,
        "proposed": proposed,
        "proposed_html": str(render_markdown(proposed)) if proposed else "",
        "rationale": rationale,
        "rationale_html": str(render_markdown(rationale)),
        "network": _read.text(value.get("network", ""), 200),
        "status": status,
        "vote": _vote(value.get("vote")),
    }


def _our_position(target) -> Position:
    """The position ``target`` names, on this installation."""
    target = _read.text(target, 500)
    head, _sep, tail = target.rpartition("/")
    if not tail.isdigit() or len(tail) > 12:
        raise _read.refuse()
    position = db.session.get(Position, int(tail))
    if position is None or site_url("positions.show", position_id=position.id) != (
        target
    ):
        raise documents.Malformed(_("This position does not exist here."))
    return position


def receive(activity: dict, peer: Peer) -> RegionalSubmission:
    """Keep what a region adopted on one of our positions, while its
    consultation is open."""
    if peer.purpose is not LinkPurpose.SENDS_ORIENTATIONS or (
        peer.state is not LinkState.ACTIVE
    ):
        raise documents.Malformed(_("This link does not carry regional amendments."))
    position = _our_position(activity.get("target"))
    obj = activity.get("object")
    if not isinstance(obj, dict) or obj.get("type") != "Collection":
        raise _read.refuse()
    host = peer.actor_url
    remote_id = _read.text(obj.get("id"), 500)
    items = obj.get("items")
    if not documents.same_host(remote_id, host) or not isinstance(items, list):
        raise _read.refuse()
    if len(items) > MAX_ITEMS:
        raise _read.refuse()
    board = obj.get("board") if isinstance(obj.get("board"), dict) else {}
    kept_board = {
        "decision": str(board.get("decision", ""))[:20],
        "decided_at": str(board.get("decidedAt") or "")[:40],
        "motivations": [
            str(m)[:5000] for m in board.get("motivations", []) if isinstance(m, str)
        ][:50]
        if isinstance(board.get("motivations"), list)
        else [],
    }
    amendments = [_item(value, host) for value in items]
    if position.state is not PositionState.CONSULTATION or (
        not position.consultation_is_open()
    ):
        closed = position.consultation_closes_at
        raise documents.TooLate(
            _(
                "The national consultation closed on %(date)s: the region's"
                " amendments came too late.",
                date=format_datetime(closed, "short") if closed else "—",
            )
        )
    submission = db.session.scalar(
        sa.select(RegionalSubmission).filter_by(
            position_id=position.id, peer_id=peer.id
        )
    )
    if submission is None:
        submission = RegionalSubmission(position_id=position.id, peer_id=peer.id)
        db.session.add(submission)
    submission.remote_id = remote_id
    submission.title = _read.text(obj.get("name", ""), 300)
    submission.board = kept_board
    submission.received_at = utcnow()
    submission.amendments = [RegionalAmendment(**a) for a in amendments]
    db.session.flush()
    record_event(
        "federation.amendments_receive",
        by=None,
        object_type="position",
        object_id=position.id,
        installation=peer.name,
        amendments=len(amendments),
    )
    return submission
