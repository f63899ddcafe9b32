"""The vote: motions for the retained amendments and the text, one ballot per network."""

import logging
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.models import (
    Amendment,
    AmendmentStatus,
    Ballot,
    BallotCast,
    BallotChoice,
    EligibleNetwork,
    Motion,
    MotionKind,
    Network,
    Position,
    PositionState,
    User,
    utcnow,
)
from advocacy.queries.votes import current_motions, tallies
from advocacy.services import ServiceError
from advocacy.services.lifecycle import begin, long_enough, transition

logger = logging.getLogger(__name__)


def open_vote(
    position: Position, *, closes_at: datetime, by: User, short_reason: str = ""
) -> list[Motion]:
    """After the consultation: put the retained amendments and the text to the
    vote (for the minimum duration, or less with staff's reason)."""
    begin(position, "vote_open")
    if position.consultation_is_open():
        raise ServiceError(
            _("The vote opens once the consultation has closed."), status=409
        )
    if closes_at <= utcnow():
        raise ServiceError(_("The closing date must be in the future."), status=400)
    position.vote_short_reason = long_enough(
        closes_at, setting="VOTE_MIN_DAYS", by=by, reason=short_reason
    )
    eligible = db.session.scalars(
        sa.select(Network.id).where(Network.is_active.is_(True))
    ).all()
    # A position voted on again (a new version) starts from today's networks.
    db.session.execute(
        sa.delete(EligibleNetwork).where(EligibleNetwork.position_id == position.id)
    )
    now = utcnow()
    db.session.execute(
        sa.insert(EligibleNetwork),
        [{"position_id": position.id, "network_id": n} for n in eligible],
    )
    quorum = float(current_app.config["VOTE_QUORUM"])
    retained = db.session.scalars(
        sa.select(Amendment)
        .where(
            Amendment.position_id == position.id,
            Amendment.status == AmendmentStatus.TO_VOTE,
        )
        .order_by(Amendment.number)
    ).all()
    round_ = (
        db.session.scalar(
            sa.select(sa.func.max(Motion.round)).where(
                Motion.position_id == position.id
            )
        )
        or 0
    ) + 1
    motions = [
        Motion(
            position_id=position.id,
            kind=MotionKind.AMENDMENT,
            amendment_id=a.id,
            round=round_,
            quorum=quorum,
            eligible_count=len(eligible),
            opened_at=now,
            closes_at=closes_at,
        )
        for a in retained
    ]
    motions.append(
        Motion(
            position_id=position.id,
            kind=MotionKind.ADOPT_TEXT,
            round=round_,
            quorum=quorum,
            eligible_count=len(eligible),
            opened_at=now,
            closes_at=closes_at,
        )
    )
    db.session.add_all(motions)
    position.vote_opened_at = now
    position.vote_closes_at = closes_at
    transition(
        position,
        "vote_open",
        by=by,
        motions=len(motions),
        round=round_,
        eligible=len(eligible),
        quorum=quorum,
        closes_at=closes_at.isoformat(),
    )
    logger.info("Vote on position %s opened by %s", position.id, by.id)
    return motions


def cast_ballot(
    motion: Motion,
    position: Position,
    *,
    network: Network,
    choice: BallotChoice,
    by: User,
) -> Ballot:
    """Cast (or change) a network's ballot on a motion, before the vote closes."""
    if not position.vote_is_open():
        raise ServiceError(
            _("The vote is closed: ballots are no longer accepted."), status=409
        )
    if motion.position_id != position.id:
        raise ServiceError(_("This motion belongs to another position."), status=400)
    if not any(m.network_id == network.id for m in by.memberships):
        raise ServiceError(
            _("You do not represent %(network)s.", network=network.name), status=403
        )
    if db.session.get(EligibleNetwork, (position.id, network.id)) is None:
        raise ServiceError(
            _(
                "%(network)s was not taking part when the vote opened.",
                network=network.name,
            ),
            status=403,
        )
    now = utcnow()
    values = {"choice": choice, "cast_by_id": by.id, "cast_at": now}
    db.session.add(BallotCast(motion_id=motion.id, network_id=network.id, **values))
    if not _update_ballot(motion, network, values):
        try:
            with db.session.begin_nested():
                db.session.add(
                    Ballot(motion_id=motion.id, network_id=network.id, **values)
                )
        except sa.exc.IntegrityError:
            # Another representative of this network voted at the same instant: theirs
            # is in; ours replaces it, as a change of ballot would.
            _update_ballot(motion, network, values)
    db.session.flush()
    return db.session.scalar(
        sa.select(Ballot).filter_by(motion_id=motion.id, network_id=network.id)
    )


def _update_ballot(motion: Motion, network: Network, values: dict) -> bool:
    result = db.session.execute(
        sa.update(Ballot)
        .where(Ballot.motion_id == motion.id, Ballot.network_id == network.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def close_vote(position: Position, *, by: User | None) -> list[Motion]:
    """After the closing date: count, apply quorum and majority, move to
    consolidation (``by`` None: counted by the platform, its deadline past)."""
    begin(position, "vote_close")
    if position.vote_is_open():
        raise ServiceError(
            _("The vote closes on its closing date: wait until then."), status=409
        )
    motions = db.session.scalars(current_motions(position).order_by(Motion.id)).all()
    counted = tallies([m.id for m in motions])
    now = utcnow()
    for motion in motions:
        votes = counted[motion.id]
        motion.votes_for = votes.get(BallotChoice.FOR, 0)
        motion.votes_against = votes.get(BallotChoice.AGAINST, 0)
        motion.votes_abstain = votes.get(BallotChoice.ABSTAIN, 0)
        motion.quorum_reached = motion.participants >= motion.quorum_needed
        motion.passed = (
            motion.quorum_reached and motion.votes_for > motion.votes_against
        )
        motion.closed_at = now
        if motion.amendment is not None:
            motion.amendment.status = (
                AmendmentStatus.ADOPTED if motion.passed else AmendmentStatus.REJECTED
            )
    position.vote_closed_at = now
    transition(
        position,
        "vote_close",
        by=by,
        results={
            str(m.id): [m.votes_for, m.votes_against, m.votes_abstain, m.passed]
            for m in motions
        },
    )
    return motions


def is_due(position: Position, now: datetime | None = None) -> bool:
    """Its vote's closing date has passed and it is not counted yet."""
    return (
        position.state is PositionState.VOTE
        and position.vote_closes_at is not None
        and position.vote_closes_at <= (now or utcnow())
    )


def close_if_due(position: Position, now: datetime | None = None) -> bool:
    """Count a vote whose closing date has passed, without anyone clicking: at
    the first reading of the position, or by the command. Under the position's
    lock, and once: whoever comes second finds it counted. Whether this call
    counted it (the caller commits)."""
    if not is_due(position, now):
        return False
    try:
        with db.session.begin_nested():
            close_vote(position, by=None)
    except ServiceError:
        logger.info("The vote on position %s was counted elsewhere", position.id)
        return False
    return True


def close_due_votes(now: datetime | None = None) -> list[int]:
    """Count every vote whose closing date has passed; the positions counted."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Position.id)
        .where(
            Position.state == PositionState.VOTE,
            Position.vote_closes_at.is_not(None),
            Position.vote_closes_at <= now,
        )
        .order_by(Position.vote_closes_at, Position.id)
    ).all()
    return [
        position_id
        for position_id in due
        if close_if_due(db.session.get(Position, position_id), now)
    ]
