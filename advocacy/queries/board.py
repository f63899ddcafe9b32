"""Reads of the board's work: decisions of the current round, amendments to weigh."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.models import (
    Amendment,
    Ballot,
    BoardChoice,
    BoardDecision,
    BoardRecusal,
    CoAuthor,
    Membership,
    Motion,
    Network,
    Position,
    User,
)


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


def recusals(position: Position) -> list[BoardRecusal]:
    """Who stepped aside in the position's current round, in order."""
    return db.session.scalars(
        sa.select(BoardRecusal)
        .where(
            BoardRecusal.position_id == position.id,
            BoardRecusal.round == position.board_round,
        )
        .options(selectinload(BoardRecusal.member))
        .order_by(BoardRecusal.id)
    ).all()


def conflicts(user: User, position: Position) -> list[tuple[str, str]]:
    """Why this person may have an interest in the position: each of their
    networks that leads it ("lead"), co-writes it ("coauthor") or voted on it
    ("voted"), by name."""
    mine = dict(
        db.session.execute(
            sa.select(Network.id, Network.name)
            .join(Membership, Membership.network_id == Network.id)
            .where(Membership.user_id == user.id)
        ).all()
    )
    if not mine:
        return []
    found = []
    if position.lead_network_id in mine:
        found.append((mine[position.lead_network_id], "lead"))
    coauthors = db.session.scalars(
        sa.select(CoAuthor.network_id).where(
            CoAuthor.position_id == position.id, CoAuthor.network_id.in_(list(mine))
        )
    ).all()
    found += [(mine[n], "coauthor") for n in sorted(coauthors, key=lambda n: mine[n])]
    voted = db.session.scalars(
        sa.select(Ballot.network_id)
        .join(Motion, Motion.id == Ballot.motion_id)
        .where(Motion.position_id == position.id, Ballot.network_id.in_(list(mine)))
        .distinct()
    ).all()
    found += [(mine[n], "voted") for n in sorted(voted, key=lambda n: mine[n])]
    return found
