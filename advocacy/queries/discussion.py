"""Reads of a position's discussion: comments, and what each section gathered."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.models import Amendment, AmendmentStatus, Comment, CommentReport


def _visible(with_hidden: bool) -> list:
    # comments on amendments live with their amendment, not in the discussion
    clauses = [Comment.amendment_id.is_(None)]
    if not with_hidden:
        clauses.append(Comment.hidden_at.is_(None))
    return clauses


def top_comments(position_id: int, *, section=None, with_hidden=False) -> sa.Select:
    """Top-level comments with their replies, oldest first (on one section, or all)."""
    stmt = (
        sa.select(Comment)
        .where(
            Comment.position_id == position_id,
            Comment.parent_id.is_(None),
            *_visible(with_hidden),
        )
        .options(
            selectinload(Comment.author),
            selectinload(Comment.network),
            selectinload(Comment.replies).selectinload(Comment.author),
            selectinload(Comment.replies).selectinload(Comment.network),
        )
        .order_by(Comment.id)
    )
    if section:
        stmt = stmt.where(Comment.section_id == section)
    return stmt


def comment_counts(position_id: int, *, with_hidden=False) -> dict:
    """How many comments each section has (None: the whole text)."""
    return dict(
        db.session.execute(
            sa.select(Comment.section_id, sa.func.count())
            .where(
                Comment.position_id == position_id,
                Comment.deleted_at.is_(None),
                *_visible(with_hidden),
            )
            .group_by(Comment.section_id)
        ).all()
    )


def amendment_counts(position_id: int) -> dict:
    """How many amendments (not withdrawn) each section has."""
    return dict(
        db.session.execute(
            sa.select(Amendment.section_id, sa.func.count())
            .where(
                Amendment.position_id == position_id,
                Amendment.status != AmendmentStatus.WITHDRAWN,
            )
            .group_by(Amendment.section_id)
        ).all()
    )


def moderation_queue() -> sa.Select:
    """Comments with an open report, then hidden ones; the latest first."""
    return (
        sa.select(Comment)
        .where(
            Comment.id.in_(
                sa.select(CommentReport.comment_id).where(
                    CommentReport.resolved_at.is_(None)
                )
            )
            | Comment.hidden_at.is_not(None)
        )
        .options(selectinload(Comment.author), selectinload(Comment.network))
        .order_by(Comment.hidden_at.is_not(None), Comment.id.desc())
    )


def comments_by_ids(ids) -> list[Comment]:
    return db.session.scalars(sa.select(Comment).where(Comment.id.in_(ids))).all()


def open_reports(comment_ids) -> dict[int, list[CommentReport]]:
    """The unresolved reports of these comments, by comment id."""
    ids = list(comment_ids)
    reports: dict[int, list[CommentReport]] = {}
    if not ids:
        return reports
    for report in db.session.scalars(
        sa.select(CommentReport).where(
            CommentReport.comment_id.in_(ids), CommentReport.resolved_at.is_(None)
        )
    ):
        reports.setdefault(report.comment_id, []).append(report)
    return reports
