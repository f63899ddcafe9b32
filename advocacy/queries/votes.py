"""Reads of votes: motions, rounds, counts, and what awaits a person's networks."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.models import (
    Amendment,
    Ballot,
    BallotChoice,
    EligibleNetwork,
    Motion,
    Network,
    Position,
    PositionState,
)
from advocacy.queries.positions import networks_of


def is_current_motion():
    """The motion belongs to its position's latest vote (for joins on Position)."""
    return sa.and_(
        Motion.position_id == Position.id, Motion.opened_at >= Position.vote_opened_at
    )


def awaiting_ballots(user_id: int, now: datetime) -> sa.Select:
    """(position, network) pairs: open votes where one of my networks has not voted
    on every motion yet, the first to close first."""
    current = is_current_motion()
    motions = sa.select(sa.func.count(Motion.id)).where(current).scalar_subquery()
    cast = (
        sa.select(sa.func.count(sa.distinct(Ballot.motion_id)))
        .join(Motion, Motion.id == Ballot.motion_id)
        .where(current, Ballot.network_id == Network.id)
        .scalar_subquery()
    )
    return (
        sa.select(Position, Network)
        .join(EligibleNetwork, EligibleNetwork.position_id == Position.id)
        .join(Network, Network.id == EligibleNetwork.network_id)
        .where(
            Position.state == PositionState.VOTE,
            Position.vote_closes_at > now,
            Network.id.in_(networks_of(user_id)),
            cast < motions,
        )
        .order_by(Position.vote_closes_at, Position.id, Network.name)
    )


def tallies(motion_ids: list[int]) -> dict[int, dict[BallotChoice, int]]:
    """Current ballots counted per motion and choice, by the database."""
    counts: dict[int, dict[BallotChoice, int]] = {m: {} for m in motion_ids}
    if motion_ids:
        rows = db.session.execute(
            sa.select(Ballot.motion_id, Ballot.choice, sa.func.count())
            .where(Ballot.motion_id.in_(motion_ids))
            .group_by(Ballot.motion_id, Ballot.choice)
        )
        for motion_id, choice, number in rows:
            counts[motion_id][choice] = number
    return counts


def participation(motion_ids: list[int]) -> dict[int, int]:
    """How many networks have voted on each motion (shown while the vote is open)."""
    if not motion_ids:
        return {}
    rows = db.session.execute(
        sa.select(Ballot.motion_id, sa.func.count())
        .where(Ballot.motion_id.in_(motion_ids))
        .group_by(Ballot.motion_id)
    )
    return {m: 0 for m in motion_ids} | dict(rows.all())


def breakdown(motion_ids: list[int], column) -> dict[int, dict]:
    """Ballots per motion, per value of a network column (family, département), per choice."""
    out: dict[int, dict] = {m: {} for m in motion_ids}
    if motion_ids:
        rows = db.session.execute(
            sa.select(Ballot.motion_id, column, Ballot.choice, sa.func.count())
            .join(Network, Network.id == Ballot.network_id)
            .where(Ballot.motion_id.in_(motion_ids))
            .group_by(Ballot.motion_id, column, Ballot.choice)
        )
        for motion_id, value, choice, number in rows:
            out[motion_id].setdefault(value, {})[choice] = number
    return out


def current_motions(position: Position):
    """A query for the motions of the position's latest vote (none if never voted)."""
    if position.vote_opened_at is None:
        return sa.select(Motion).where(sa.false())
    return sa.select(Motion).where(
        Motion.position_id == position.id, Motion.opened_at >= position.vote_opened_at
    )


def vote_rounds(position: Position) -> list[int]:
    """The rounds of voting the position went through, in order."""
    return list(
        db.session.scalars(
            sa.select(Motion.round)
            .where(Motion.position_id == position.id)
            .distinct()
            .order_by(Motion.round)
        )
    )


def round_motions(position: Position, round_: int):
    """A query for the motions of one round of the position's votes."""
    return sa.select(Motion).where(
        Motion.position_id == position.id, Motion.round == round_
    )


def motions_of_round(position: Position, round_: int) -> list[Motion]:
    """One round's motions with their amendments, the whole text's motion last."""
    return db.session.scalars(
        round_motions(position, round_)
        .options(selectinload(Motion.amendment).selectinload(Amendment.network))
        .order_by(Motion.amendment_id.is_(None), Motion.id)
    ).all()


def current_motions_listed(position: Position) -> list[Motion]:
    """The latest vote's motions with their amendments, the whole text's motion last."""
    return db.session.scalars(
        current_motions(position)
        .options(selectinload(Motion.amendment))
        .order_by(Motion.amendment_id.is_(None), Motion.id)
    ).all()


def ballots_of(motion_ids, network_ids) -> dict[tuple[int, int], BallotChoice]:
    """The choices these networks made on these motions, by (motion, network)."""
    motion_ids, network_ids = list(motion_ids), list(network_ids)
    if not motion_ids or not network_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Ballot).where(
            Ballot.motion_id.in_(motion_ids), Ballot.network_id.in_(network_ids)
        )
    )
    return {(b.motion_id, b.network_id): b.choice for b in rows}


def ballots_on(motion: Motion) -> sa.Select:
    """The ballots cast on a motion, by network name, with their networks."""
    return (
        sa.select(Ballot)
        .where(Ballot.motion_id == motion.id)
        .options(selectinload(Ballot.network))
        .join(Network, Network.id == Ballot.network_id)
        .order_by(Network.name)
    )
