"""Consolidation: writing the adopted amendments into the text, each with its provenance."""

import sqlalchemy as sa
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Motion,
    MotionKind,
    Position,
    PositionState,
    RevisionSource,
    User,
    utcnow,
)
from advocacy.services import ServiceError
from advocacy.services.audit import record_event
from advocacy.services.lifecycle import begin, lock_position, require_state, transition
from advocacy.services.positions import new_revision

TO_APPLY = (AmendmentStatus.ADOPTED, AmendmentStatus.INTEGRATED)


def pending_amendments(position: Position) -> list[Amendment]:
    """Adopted or integrated amendments not yet written into the text."""
    return db.session.scalars(
        sa.select(Amendment)
        .where(
            Amendment.position_id == position.id,
            Amendment.status.in_(TO_APPLY),
            Amendment.applied_at.is_(None),
        )
        .order_by(Amendment.number)
    ).all()


def _applies_cleanly(amendment: Amendment, sections: list[dict]) -> bool:
    current = next((s for s in sections if s["id"] == amendment.section_id), None)
    return current is not None and current["text"] == amendment.section_text


def _apply(sections: list[dict], amendment: Amendment) -> list[str]:
    texts = []
    for section in sections:
        if section["id"] != amendment.section_id:
            texts.append(section["text"])
        elif amendment.kind is AmendmentKind.REPLACE:
            texts.append(amendment.proposed)
        elif amendment.kind is AmendmentKind.INSERT_AFTER:
            texts.extend([section["text"], amendment.proposed])
    return texts


def _claim(amendment: Amendment) -> bool:
    """Mark the amendment applied, once: a second attempt finds nothing to claim."""
    result = db.session.execute(
        sa.update(Amendment)
        .where(Amendment.id == amendment.id, Amendment.applied_at.is_(None))
        .values(applied_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(amendment)
    return result.rowcount == 1


def apply_amendments(
    position: Position, *, by: User
) -> tuple[list[Amendment], list[Amendment]]:
    """Write every pending amendment whose section is unchanged; the others wait for a hand."""
    lock_position(position)
    require_state(position, PositionState.CONSOLIDATION)
    applied, by_hand = [], []
    for amendment in pending_amendments(position):
        revision = position.current_revision
        if not _applies_cleanly(amendment, revision.sections) or not _claim(amendment):
            by_hand.append(amendment)
            continue
        body = "\n\n".join(_apply(revision.sections, amendment))
        new_revision(
            position,
            title=revision.title,
            summary=revision.summary,
            body=body,
            by=by,
            network=amendment.network,
            source=RevisionSource.AMENDMENT,
            base=revision,
            message=_(
                "Amendment %(number)d (%(network)s)",
                number=amendment.number,
                network=amendment.network.name,
            ),
            amendment=amendment,
        )
        record_event(
            "amendment.apply",
            by=by,
            object_type="amendment",
            object_id=amendment.id,
            position_id=position.id,
            revision=position.current_revision.number,
        )
        applied.append(amendment)
    return applied, by_hand


def mark_integrated(amendment: Amendment, position: Position, *, by: User) -> None:
    """The lead confirms an amendment was written into the text by hand."""
    lock_position(position)
    require_state(position, PositionState.CONSOLIDATION)
    if amendment.status not in TO_APPLY or amendment.position_id != position.id:
        raise ServiceError(
            _("Only an adopted amendment can be marked as integrated."), status=409
        )
    if not _claim(amendment):
        raise ServiceError(_("This amendment is already in the text."), status=409)
    record_event(
        "amendment.integrate",
        by=by,
        object_type="amendment",
        object_id=amendment.id,
        position_id=position.id,
    )


def text_motion(position: Position) -> Motion | None:
    return db.session.scalar(
        sa.select(Motion)
        .filter_by(position_id=position.id, kind=MotionKind.ADOPT_TEXT)
        .order_by(Motion.id.desc())
        .limit(1)
    )


def return_to_draft(position: Position, *, by: User) -> None:
    """When the text was not adopted, the lead takes it back to drafting."""
    begin(position, "back_to_draft")
    motion = text_motion(position)
    if motion is not None and motion.passed:
        raise ServiceError(
            _("The text was adopted: it goes on to the board."), status=409
        )
    transition(position, "back_to_draft", by=by)
