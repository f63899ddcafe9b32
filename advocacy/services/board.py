"""Board review: submitting a consolidated text, and each member's decision."""

import logging

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.models import (
    BoardChoice,
    BoardDecision,
    BoardDecisionCast,
    BoardRecusal,
    Position,
    PositionState,
    User,
    utcnow,
)
from advocacy.queries.board import conflicts, tally
from advocacy.services import ServiceError  # noqa: F401 (raised here, caught by views)
from advocacy.services.consolidation import pending_amendments, text_motion
from advocacy.services.lifecycle import begin, lock_position, transition
from advocacy.services.positions import audit_position, keep_live_text

logger = logging.getLogger(__name__)


def submit_to_board(position: Position, *, by: User) -> None:
    """Send the consolidated text, adopted by the vote, to the board."""
    begin(position, "submit")
    keep_live_text(position)
    motion = text_motion(position)
    if motion is None or not motion.passed:
        raise ServiceError(
            _("Only a text adopted by the vote goes to the board."), status=409
        )
    if pending_amendments(position):
        raise ServiceError(
            _("Write every adopted amendment into the text before submitting it."),
            status=409,
        )
    position.board_round += 1
    position.submitted_at = utcnow()
    position.board_reason = ""
    transition(position, "submit", by=by, round=position.board_round)


def record_board_decision(
    position: Position, *, choice: BoardChoice, motivation: str, by: User
) -> PositionState:
    """Record (or change) my decision; the outcome is settled in the same transaction."""
    lock_position(position)
    if position.state is not PositionState.BOARD_REVIEW:
        raise ServiceError(_("This position is not before the board."), status=409)
    if _recused(position, by) is not None:
        raise ServiceError(
            _("You stepped aside from this review: your decision is not counted."),
            status=409,
        )
    if current_app.config["BOARD_RECUSAL_MANDATORY"] and conflicts(by, position):
        raise ServiceError(
            _(
                "Your network took part in this position: the statutes ask you to"
                " step aside from deciding on it."
            ),
            status=409,
        )
    if not motivation.strip():
        raise ServiceError(_("Give the motivation of your decision."), status=400)
    now = utcnow()
    db.session.add(
        BoardDecisionCast(
            position_id=position.id,
            round=position.board_round,
            member_id=by.id,
            choice=choice,
            motivation=motivation,
        )
    )
    decision = db.session.scalar(
        sa.select(BoardDecision).filter_by(
            position_id=position.id, round=position.board_round, member_id=by.id
        )
    )
    if decision is None:
        db.session.add(
            BoardDecision(
                position_id=position.id,
                round=position.board_round,
                member_id=by.id,
                choice=choice,
                motivation=motivation,
            )
        )
    else:
        decision.choice, decision.motivation, decision.updated_at = (
            choice,
            motivation,
            now,
        )
    db.session.flush()
    audit_position(
        position, "board_decision", by, choice=choice, round=position.board_round
    )
    counts = tally(position)
    approvals, rejections = counts[BoardChoice.APPROVE], counts[BoardChoice.REJECT]
    config = current_app.config
    outcome = PositionState.BOARD_REVIEW
    if choice is BoardChoice.REQUEST_CHANGES:
        outcome = PositionState.DRAFT
    elif approvals >= config["BOARD_APPROVALS_REQUIRED"] and approvals > rejections:
        outcome = PositionState.APPROVED
    elif rejections >= config["BOARD_REJECTIONS_REQUIRED"] and rejections > approvals:
        outcome = PositionState.REJECTED
    if outcome is not PositionState.BOARD_REVIEW:
        position.decided_at = now
        position.board_reason = (
            motivation if outcome is not PositionState.APPROVED else ""
        )
        transition(
            position,
            "board_outcome",
            by=by,
            to=outcome,
            approvals=approvals,
            rejections=rejections,
        )
    return outcome


def _recused(position: Position, member: User) -> BoardRecusal | None:
    return db.session.scalar(
        sa.select(BoardRecusal).filter_by(
            position_id=position.id, round=position.board_round, member_id=member.id
        )
    )


def recuse(position: Position, *, reason: str, by: User) -> bool:
    """Step aside from this round of review (a conflict of interest): a decision
    already recorded is withdrawn, and the member's voice is no longer counted.
    False when they had stepped aside already."""
    lock_position(position)
    if position.state is not PositionState.BOARD_REVIEW:
        raise ServiceError(_("This position is not before the board."), status=409)
    if len(reason) > 1000:
        raise ServiceError(_("At most 1,000 characters."), status=400)
    if _recused(position, by) is not None:
        return False
    db.session.execute(
        sa.delete(BoardDecision).where(
            BoardDecision.position_id == position.id,
            BoardDecision.round == position.board_round,
            BoardDecision.member_id == by.id,
        )
    )
    db.session.add(
        BoardRecusal(
            position_id=position.id,
            round=position.board_round,
            member_id=by.id,
            reason=reason.strip(),
        )
    )
    db.session.flush()
    audit_position(
        position,
        "board_recusal",
        by,
        round=position.board_round,
        networks=list(dict.fromkeys(name for name, _role in conflicts(by, position))),
    )
    return True
