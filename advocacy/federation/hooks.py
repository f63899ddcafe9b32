"""What sets messages going to other installations: the services record what
happened in the audit log, and federation listens there (as the notifications
do), so that no service has to know about federation.

- a position whose consultation opens, or is extended, is offered to the
  regions that receive our orientations (``orientations.offer``);
- a statement published for the national debate goes up as a contribution
  (``contributions.contribute``);
- a declination the board approves sends up what the region adopted
  (``regional_amendments.on_approval``).
"""

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import AuditEvent, Position, Statement, StatementVersion, User


def _subject(event: AuditEvent) -> tuple[Position, User | None]:
    position = db.session.get(Position, event.object_id)
    by = db.session.get(User, event.actor_id) if event.actor_id else None
    return position, by


def _offer(event: AuditEvent) -> None:
    from advocacy.federation.orientations import offer

    position, by = _subject(event)
    offer(position, by=by)


def _published(event: AuditEvent) -> None:
    from advocacy.federation.contributions import contribute

    version = db.session.scalar(
        sa.select(StatementVersion)
        .join(Statement, Statement.id == StatementVersion.statement_id)
        .where(
            Statement.slug == event.payload["statement"],
            StatementVersion.number == event.payload["version"],
        )
    )
    contribute(version)


def _board_outcome(event: AuditEvent) -> None:
    from advocacy.federation.regional_amendments import on_approval

    if event.payload["state"][1] == "approved":
        position, by = _subject(event)
        on_approval(position, by=by)


HANDLERS = {
    "position.consultation_open": _offer,
    "position.consultation_extend": _offer,
    "position.publish": _published,
    "position.board_outcome": _board_outcome,
}


def on_event(event: AuditEvent) -> None:
    handler = HANDLERS.get(event.action)
    if handler is not None:
        handler(event)
