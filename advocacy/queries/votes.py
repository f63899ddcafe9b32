"""Reads of votes: what awaits a person's networks."""

from datetime import datetime

import sqlalchemy as sa

from advocacy.models import (
    Ballot,
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
