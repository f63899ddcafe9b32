"""Reads of amendments: one with what its page shows, the list, its comments."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.models import (
    Amendment,
    AmendmentStatus,
    AmendmentSupport,
    Comment,
    Position,
)

#: How many comments an amendment's page shows.
COMMENTS_SHOWN = 200


def numbered(position: Position, number: int) -> Amendment | None:
    """Amendment ``number`` of the position, with its network, author and supports."""
    return db.session.scalar(
        sa.select(Amendment)
        .where(Amendment.position_id == position.id, Amendment.number == number)
        .options(
            selectinload(Amendment.network),
            selectinload(Amendment.author),
            selectinload(Amendment.supports).selectinload(AmendmentSupport.network),
        )
    )


def of_position(position: Position, status: AmendmentStatus | None = None) -> sa.Select:
    """The position's amendments by number, with networks and supports."""
    stmt = (
        sa.select(Amendment)
        .where(Amendment.position_id == position.id)
        .options(
            selectinload(Amendment.network),
            selectinload(Amendment.supports),
        )
        .order_by(Amendment.number)
    )
    if status is not None:
        stmt = stmt.where(Amendment.status == status)
    return stmt


def comments_on(amendment: Amendment, *, with_hidden: bool = False) -> list[Comment]:
    """The comments on an amendment, oldest first, with authors and networks."""
    visible = [] if with_hidden else [Comment.hidden_at.is_(None)]
    return db.session.scalars(
        sa.select(Comment)
        .where(Comment.amendment_id == amendment.id, *visible)
        .options(selectinload(Comment.author), selectinload(Comment.network))
        .order_by(Comment.id)
        .limit(COMMENTS_SHOWN)
    ).all()
