"""The lifecycle of a position: every change of state goes through ``transition``.

``STEPS`` is the whole state machine: each step's name (also the action of its
audit entry and of the notifications it triggers), the states it starts from,
and the states it may lead to. A service calls ``begin`` first (the row lock and
the state check, before any work), then ``transition`` once its work is done.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advocacy.extensions import db
from advocacy.models import Position, PositionState, User, utcnow
from advocacy.permissions import is_admin
from advocacy.services import ServiceError
from advocacy.services.audit import record_event

logger = logging.getLogger(__name__)

S = PositionState
OPEN_STATES = frozenset(s for s in PositionState if s.is_open)


@dataclass(frozen=True)
class Step:
    """One step of the lifecycle: where it may start, where it may lead."""

    sources: frozenset[PositionState]
    targets: frozenset[PositionState]


def _step(sources, *targets) -> Step:
    return Step(frozenset(sources), frozenset(targets))


#: The state machine (DESIGN.md, "Lifecycle of a position"; docs/rules.md shows it).
STEPS: dict[str, Step] = {
    "consultation_open": _step({S.DRAFT}, S.CONSULTATION),
    "vote_open": _step({S.CONSULTATION}, S.VOTE),
    "vote_close": _step({S.VOTE}, S.CONSOLIDATION),
    "back_to_draft": _step({S.CONSOLIDATION}, S.DRAFT),
    "submit": _step({S.CONSOLIDATION}, S.BOARD_REVIEW),
    "board_outcome": _step({S.BOARD_REVIEW}, S.APPROVED, S.REJECTED, S.DRAFT),
    "publish": _step({S.APPROVED}, S.PUBLISHED),
    "revise": _step({S.PUBLISHED}, S.DRAFT),
    "withdraw": _step(OPEN_STATES, S.WITHDRAWN),
}


def lock_position(position: Position) -> None:
    """Take the position's row for this transaction (a write locks it everywhere)."""
    db.session.execute(
        sa.update(Position)
        .where(Position.id == position.id)
        .values(lock_version=Position.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(position)


def require_state(position: Position, *states: PositionState) -> None:
    """A 409 with a sentence unless the position is in one of ``states``."""
    if position.state not in states:
        if position.state is PositionState.WITHDRAWN:
            message = _("This position was withdrawn: it can no longer be changed.")
        else:
            message = _(
                "This position is %(state)s: this cannot be done now.",
                state=position.state.label,
            )
        raise ServiceError(message, status=409)


def can_take(position: Position, step: str) -> bool:
    """Whether ``step`` may start from the position's current state."""
    return position.state in STEPS[step].sources


#: The states in which co-authors write the text (live, or through the form).
WRITING = frozenset({S.DRAFT, S.CONSOLIDATION})


def begin(position: Position, step: str) -> None:
    """Lock the position and check that ``step`` may start from its state (409)."""
    lock_position(position)
    require_state(position, *STEPS[step].sources)


def ends_writing(step: str) -> bool:
    """Whether ``step`` leads out of the writing (what was typed live must be kept first)."""
    return bool(STEPS[step].sources & WRITING) and not STEPS[step].targets & WRITING


def transition(
    position: Position,
    step: str,
    *,
    by: User | None,
    to: PositionState | None = None,
    **payload,
) -> PositionState:
    """Move the position by ``step``: its new state, ``updated_at``, the audit entry.

    ``to`` chooses among the step's targets when it has several. Call ``begin``
    first: the lock is held until the transaction ends.
    """
    rule = STEPS[step]
    if to is None:
        (to,) = rule.targets
    if to not in rule.targets:
        raise ValueError(f"{step} does not lead to {to}")
    require_state(position, *rule.sources)
    before = position.state
    position.state = to
    position.updated_at = utcnow()
    db.session.flush()
    record_event(
        f"position.{step}",
        by=by,
        object_type="position",
        object_id=position.id,
        state=[before.value, to.value],
        **payload,
    )
    logger.info(
        "Position %s: %s (%s → %s) by %s",
        position.id,
        step,
        before.value,
        to.value,
        by.id if by else "-",
    )
    return to


#: What ``long_enough`` says, for a consultation and for a vote.
TOO_SHORT = {
    "CONSULTATION_MIN_DAYS": (
        _l(
            "A consultation lasts at least %(days)d days: choose a later closing"
            " date (only staff may open a shorter one)."
        ),
        _l(
            "Say why this consultation lasts less than %(days)d days: the members"
            " will read it."
        ),
    ),
    "VOTE_MIN_DAYS": (
        _l(
            "A vote lasts at least %(days)d days: choose a later closing date"
            " (only staff may open a shorter one)."
        ),
        _l(
            "Say why this vote lasts less than %(days)d days: the members will read it."
        ),
    ),
}


def long_enough(closes_at, *, setting: str, by: User | None, reason: str) -> str:
    """Check that a consultation or a vote lasts at least the ``setting``'s days:
    only staff open a shorter one, and say why (the members read it). Returns
    the reason to keep ("" when it lasts long enough)."""
    days = int(current_app.config[setting])
    if closes_at - utcnow() >= timedelta(days=days) - timedelta(minutes=1):
        return ""
    too_short, say_why = TOO_SHORT[setting]
    if by is None or not is_admin(by):
        raise ServiceError(too_short % {"days": days}, status=400, field="closes_at")
    if not reason.strip():
        raise ServiceError(say_why % {"days": days}, status=400, field="short_reason")
    if len(reason) > 1000:
        raise ServiceError(
            _("At most 1,000 characters."), status=400, field="short_reason"
        )
    return reason.strip()
