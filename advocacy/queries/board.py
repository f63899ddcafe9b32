"""Reads of the board's work: decisions of the current round, amendments to weigh."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.models import Amendment, BoardChoice, BoardDecision, Position, User


def my_decisions(user: User, position_ids) -> dict[int, BoardDecision]:
    """A board member's decisions in the current round of these positions, by position."""
    ids = list(position_ids)
    if not ids:
        return {}
    return {
        d.position_id: d
        for d in db.session.scalars(
            sa.select(BoardDecision)
            .join(Position, Position.id == BoardDecision.position_id)
            .where(
                BoardDecision.position_id.in_(ids),
                BoardDecision.member_id == user.id,
                BoardDecision.round == Position.board_round,
            )
        )
    }


def decisions(position: Position) -> list[BoardDecision]:
    """The decisions of the position's current round, in order, with their members."""
    return db.session.scalars(
        sa.select(BoardDecision)
        .where(
            BoardDecision.position_id == position.id,
            BoardDecision.round == position.board_round,
        )
        .options(selectinload(BoardDecision.member))
        .order_by(BoardDecision.created_at)
    ).all()


def tally(position: Position) -> dict[BoardChoice, int]:
    """The current round's decisions, counted by the database."""
    rows = db.session.execute(
        sa.select(BoardDecision.choice, sa.func.count())
        .where(
            BoardDecision.position_id == position.id,
            BoardDecision.round == position.board_round,
        )
        .group_by(BoardDecision.choice)
    )
    return {choice: 0 for choice in BoardChoice} | dict(rows.all())


def amendments(position: Position) -> list[Amendment]:
    """Every amendment of the position, by number, with its network."""
    return db.session.scalars(
        sa.select(Amendment)
        .where(Amendment.position_id == position.id)
        .options(selectinload(Amendment.network))
        .order_by(Amendment.number)
    ).all()
