"""Reads of the calendar feeds: the deadlines that concern a member, and the
publications scheduled."""

from datetime import datetime

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import EligibleNetwork, Membership, Position, PositionState, User

#: Rows: (kind, position id, title, moment).
Deadline = tuple[str, int, str, datetime]


def member_deadlines(user: User, since: datetime) -> list[Deadline]:
    """Consultations and votes closing (the votes its networks may cast), and,
    for a board member, the texts submitted to the board; from ``since`` on."""
    mine = sa.select(Membership.network_id).where(Membership.user_id == user.id)
    found: list[Deadline] = []
    found += [
        ("consultation", *row)
        for row in db.session.execute(
            sa.select(Position.id, Position.title, Position.consultation_closes_at)
            .where(
                Position.state == PositionState.CONSULTATION,
                Position.consultation_closes_at >= since,
            )
            .order_by(Position.consultation_closes_at, Position.id)
        )
    ]
    found += [
        ("vote", *row)
        for row in db.session.execute(
            sa.select(Position.id, Position.title, Position.vote_closes_at)
            .where(
                Position.state == PositionState.VOTE,
                Position.vote_closes_at >= since,
                sa.exists().where(
                    EligibleNetwork.position_id == Position.id,
                    EligibleNetwork.network_id.in_(mine),
                ),
            )
            .order_by(Position.vote_closes_at, Position.id)
        )
    ]
    if user.is_board:
        found += [
            ("board", *row)
            for row in db.session.execute(
                sa.select(Position.id, Position.title, Position.submitted_at)
                .where(Position.state == PositionState.BOARD_REVIEW)
                .order_by(Position.submitted_at, Position.id)
            )
        ]
    return found


def scheduled_publications() -> list[Deadline]:
    """The approved statements waiting for their moment of publication."""
    return [
        ("publication", *row)
        for row in db.session.execute(
            sa.select(Position.id, Position.title, Position.publish_at)
            .where(
                Position.state == PositionState.APPROVED,
                Position.publish_at.is_not(None),
            )
            .order_by(Position.publish_at, Position.id)
        )
    ]
