"""The consultation: opening it, and members' comments, reports and moderation."""

import logging
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.markup import render_markdown
from advocacy.models import (
    Comment,
    CommentEdit,
    CommentReport,
    Network,
    Position,
    PositionState,
    ReportReason,
    User,
    utcnow,
)
from advocacy.services import ServiceError, mentions
from advocacy.services.audit import record_event
from advocacy.services.lifecycle import (
    begin,
    lock_position,
    long_enough,
    require_state,
    transition,
)
from advocacy.services.positions import audit_position, keep_live_text

logger = logging.getLogger(__name__)


def _future(moment: datetime) -> None:
    if moment <= utcnow():
        raise ServiceError(_("The closing date must be in the future."), status=400)


def open_consultation(
    position: Position,
    *,
    closes_at: datetime,
    message: str,
    by: User,
    short_reason: str = "",
) -> None:
    """Freeze the text and ask every member network for comments and amendments
    (for the minimum duration, or less with staff's reason)."""
    begin(position, "consultation_open")
    _future(closes_at)
    position.consultation_short_reason = long_enough(
        closes_at,
        setting="CONSULTATION_MIN_DAYS",
        by=by,
        reason=short_reason,
    )
    keep_live_text(position)
    if not (position.current_revision and position.current_revision.body.strip()):
        raise ServiceError(
            _("Write the text before opening the consultation."), status=409
        )
    position.consultation_opened_at = utcnow()
    position.consultation_closes_at = closes_at
    position.consultation_message = message
    transition(
        position,
        "consultation_open",
        by=by,
        closes_at=closes_at.isoformat(),
        revision=position.current_revision.number,
    )


def extend_consultation(position: Position, *, closes_at: datetime, by: User) -> None:
    """Move the closing date of an open consultation later."""
    lock_position(position)
    require_state(position, PositionState.CONSULTATION)
    _future(closes_at)
    before = position.consultation_closes_at
    if before is not None and closes_at <= before:
        raise ServiceError(
            _("The new closing date must be later than the current one."), status=400
        )
    position.consultation_closes_at = closes_at
    db.session.flush()
    audit_position(
        position,
        "consultation_extend",
        by,
        closes_at=[before.isoformat() if before else None, closes_at.isoformat()],
    )


def close_consultation(position: Position, *, by: User) -> None:
    """Close the consultation now, before its closing date."""
    lock_position(position)
    require_state(position, PositionState.CONSULTATION)
    if not position.consultation_is_open():
        raise ServiceError(_("The consultation is already closed."), status=409)
    before = position.consultation_closes_at
    position.consultation_closes_at = utcnow()
    db.session.flush()
    audit_position(
        position,
        "consultation_close",
        by,
        closes_at=[
            before.isoformat() if before else None,
            position.consultation_closes_at.isoformat(),
        ],
    )


# --- Comments --------------------------------------------------------------------------


def comments_open(position: Position) -> bool:
    """Comments are taken while the consultation or the vote is open."""
    return position.discussion_is_open()


def _require_open(position: Position) -> None:
    if not comments_open(position):
        raise ServiceError(
            _("Comments are closed: neither a consultation nor a vote is open."),
            status=409,
        )


def post_comment(
    position: Position,
    *,
    body: str,
    by: User,
    network: Network | None,
    section_id: str | None = None,
    parent: Comment | None = None,
    amendment=None,
    cited: tuple[int, str] | None = None,
) -> Comment:
    """Comment on the whole text, on one section, on an amendment, or reply to a
    comment; ``cited`` names the contribution and section its body quotes."""
    _require_open(position)
    revision = position.current_revision
    if amendment is not None:
        if amendment.position_id != position.id:
            raise ServiceError(
                _("This amendment belongs to another position."), status=400
            )
        section_id, parent = amendment.section_id, None
    if parent is not None:
        if parent.position_id != position.id:
            raise ServiceError(
                _("This comment belongs to another position."), status=400
            )
        if parent.parent_id is not None:
            raise ServiceError(
                _("Reply to the first comment of the thread."), status=400
            )
        if parent.deleted_at is not None or parent.hidden_at is not None:
            raise ServiceError(_("This comment can no longer be answered."), status=409)
        section_id = parent.section_id
    elif section_id is not None and section_id not in {
        s["id"] for s in revision.sections
    }:
        raise ServiceError(
            _("This section does not exist in the current text."), status=400
        )
    body_html, found = mentions.linked(str(render_markdown(body)))
    comment = Comment(
        position_id=position.id,
        revision_id=revision.id,
        section_id=section_id,
        parent_id=parent.id if parent else None,
        amendment_id=amendment.id if amendment else None,
        author_id=by.id,
        network_id=network.id if network else None,
        body=body,
        body_html=body_html,
        cited_contribution_id=cited[0] if cited else None,
        cited_section_id=cited[1] if cited else None,
    )
    db.session.add(comment)
    db.session.flush()
    record_event(
        "comment.create",
        by=by,
        object_type="comment",
        object_id=comment.id,
        position_id=position.id,
        section_id=section_id,
        parent_id=parent.id if parent else None,
        **mentions.newly(found, mentions.Mentions()),
    )
    return comment


def edit_comment(comment: Comment, *, body: str, by: User) -> None:
    """The author rewords a comment; the earlier wording is kept."""
    if comment.deleted_at is not None or comment.hidden_at is not None:
        raise ServiceError(_("This comment can no longer be edited."), status=409)
    if body == comment.body:
        return
    db.session.add(CommentEdit(comment_id=comment.id, body=comment.body))
    before = mentions.linked(str(render_markdown(comment.body)))[1]
    comment.body = body
    comment.body_html, found = mentions.linked(str(render_markdown(body)))
    comment.edited_at = utcnow()
    db.session.flush()
    record_event(
        "comment.edit",
        by=by,
        object_type="comment",
        object_id=comment.id,
        **mentions.newly(found, before),
    )


def delete_comment(comment: Comment, *, by: User) -> None:
    """The author removes a comment's content; its replies stay."""
    if comment.deleted_at is not None:
        raise ServiceError(_("This comment was already deleted."), status=409)
    db.session.add(CommentEdit(comment_id=comment.id, body=comment.body))
    comment.body, comment.body_html = "", ""
    comment.deleted_at = utcnow()
    db.session.flush()
    record_event("comment.delete", by=by, object_type="comment", object_id=comment.id)


def report_comment(
    comment: Comment, *, reason: ReportReason, note: str, by: User
) -> CommentReport:
    """Ask the staff to look at a comment (once per person)."""
    if comment.deleted_at is not None:
        raise ServiceError(_("This comment was deleted."), status=409)
    existing = db.session.scalar(
        sa.select(CommentReport).filter_by(comment_id=comment.id, reporter_id=by.id)
    )
    if existing is not None:
        raise ServiceError(_("You have already reported this comment."), status=409)
    report = CommentReport(
        comment_id=comment.id, reporter_id=by.id, reason=reason, note=note
    )
    db.session.add(report)
    db.session.flush()
    record_event(
        "comment.report",
        by=by,
        object_type="comment",
        object_id=comment.id,
        reason=reason,
    )
    return report


def moderate_comments(
    comments: list[Comment], *, hide: bool, reason: str, by: User
) -> int:
    """Staff hide (or restore) several comments at once, with a reason; returns how many."""
    changed = 0
    now = utcnow()
    for comment in comments:
        if hide == (comment.hidden_at is not None):
            continue
        comment.hidden_at = now if hide else None
        comment.hidden_by_id = by.id
        comment.hidden_reason = reason if hide else ""
        record_event(
            "comment.hide" if hide else "comment.restore",
            by=by,
            object_type="comment",
            object_id=comment.id,
            reason=reason,
            hidden=[not hide, hide],
        )
        changed += 1
    ids = [c.id for c in comments]
    if ids:
        db.session.execute(
            sa.update(CommentReport)
            .where(
                CommentReport.comment_id.in_(ids), CommentReport.resolved_at.is_(None)
            )
            .values(resolved_at=now)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    return changed
