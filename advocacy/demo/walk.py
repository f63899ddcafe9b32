"""Take a position through its lifecycle with the real services, step by step.

The demo and the tests use this one helper, so that what the demo shows is what
the tests check. Time does not pass here: a step that waits for a closing date
(the consultation's, the vote's) moves that date into the past, as if it had come.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from advocacy.extensions import db
from advocacy.models import (
    BallotChoice,
    BoardChoice,
    Network,
    Position,
    PositionState,
    User,
    utcnow,
)
from advocacy.services import board, consolidation, consultation, votes

#: The steps ``walk`` can stop after, in order.
STEPS = ("consultation", "consolidation", "board_review", "approved")


def walk(
    position: Position,
    *,
    until: str,
    by: User,
    voters: list[tuple[Network, User]] = (),
    approvers: list[User] = (),
    days: int = 1,
    message: str = "",
    motivation: str = "Texte solide.",
) -> Position:
    """Open the consultation (for ``days`` left of it); then, past ``consultation``, vote
    "for" by each ``(network, person)`` of ``voters``, close the vote and write the
    adopted amendments in; then submit to the board and record the ``approvers``'
    approval (``until`` says which step is expected: enough approvals make the
    position approved). Flushes, never commits."""
    if until not in STEPS:
        raise ValueError(f"until must be one of {', '.join(STEPS)}")
    now = utcnow()
    config = current_app.config
    consultation.open_consultation(
        position,
        closes_at=now + timedelta(days=max(days, config["CONSULTATION_MIN_DAYS"])),
        message=message,
        by=by,
    )
    # as if it had opened earlier: ``days`` are what is left of it
    position.consultation_closes_at = now + timedelta(days=days)
    if until == "consultation":
        return position
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    lasts = timedelta(days=max(1, config["VOTE_MIN_DAYS"]))
    for motion in votes.open_vote(position, closes_at=now + lasts, by=by):
        for network, person in voters:
            votes.cast_ballot(
                motion, position, network=network, choice=BallotChoice.FOR, by=person
            )
    position.vote_closes_at = utcnow() - timedelta(seconds=1)
    votes.close_vote(position, by=by)
    consolidation.apply_amendments(position, by=by)
    if until == "consolidation":
        return position
    board.submit_to_board(position, by=by)
    for member in approvers:
        board.record_board_decision(
            position, choice=BoardChoice.APPROVE, motivation=motivation, by=member
        )
    return position


def skip_to(position: Position, state: PositionState) -> None:
    """Put a position in ``state`` without the steps between: no lock, no check,
    no audit entry. For tests and benchmarks that need a state and not its
    history; the platform itself changes states through ``services/lifecycle``."""
    db.session.execute(
        sa.update(Position).where(Position.id == position.id).values(state=state)
    )
