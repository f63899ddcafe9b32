"""Reads of a position's discussion: comments, and what each section gathered."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.models import (
    Amendment,
    AmendmentStatus,
    Comment,
    CommentReport,
    Network,
    User,
)


def _visible(with_hidden: bool) -> list:
    # comments on amendments live with their amendment, not in the discussion
    clauses = [Comment.amendment_id.is_(None)]
    if not with_hidden:
        clauses.append(Comment.hidden_at.is_(None))
    return clauses


def top_comments(position_id: int, *, section=None, with_hidden=False) -> sa.Select:
    """The ids of the top-level comments, oldest first (on one section, or all): a
    page of the discussion, whose threads are then read by ``thread_stamps`` and,
    for those not kept rendered, ``threads``."""
    stmt = (
        sa.select(Comment.id)
        .where(
            Comment.position_id == position_id,
            Comment.parent_id.is_(None),
            *_visible(with_hidden),
        )
        .order_by(Comment.id)
    )
    if section:
        stmt = stmt.where(Comment.section_id == section)
    return stmt


def thread_stamps(top_ids: list[int], reader_id: int) -> dict[int, tuple]:
    """For each thread (a top-level comment and its replies), a stamp that changes
    whenever its HTML may: one row per thread, without loading the comments.

    Every change sets a time later than any before it (an edit, a deletion, hiding,
    renaming an author or a network) or changes how many comments there are, or
    how many are hidden: so the pair of a count and the latest time never comes
    back once changed (un-hiding lowers the count of hidden ones). The last value
    says whether ``reader_id`` wrote in the thread (they edit their own)."""
    if not top_ids:
        return {}
    # the authors' and networks' last changes as lookups by key, row by row: a
    # join would have PostgreSQL hash whole tables for a few dozen comments
    author = (
        sa.select(User.updated_at).where(User.id == Comment.author_id).scalar_subquery()
    )
    network = (
        sa.select(Network.updated_at)
        .where(Network.id == Comment.network_id)
        .scalar_subquery()
    )
    thread = sa.func.coalesce(Comment.parent_id, Comment.id)
    rows = db.session.execute(
        sa.select(
            thread,
            sa.func.count(),
            sa.func.max(Comment.id),
            sa.func.max(Comment.edited_at),
            sa.func.max(Comment.deleted_at),
            sa.func.count(Comment.hidden_at),
            sa.func.max(Comment.hidden_at),
            sa.func.max(author),
            sa.func.max(network),
            sa.func.max(sa.case((Comment.author_id == reader_id, 1), else_=0)),
        )
        .where(sa.or_(Comment.id.in_(top_ids), Comment.parent_id.in_(top_ids)))
        .group_by(thread)
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def threads(top_ids: list[int]) -> list[Comment]:
    """These top-level comments with their replies, authors and networks, by id."""
    if not top_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Comment)
            .where(Comment.id.in_(top_ids))
            .options(
                selectinload(Comment.author),
                selectinload(Comment.network),
                selectinload(Comment.replies).selectinload(Comment.author),
                selectinload(Comment.replies).selectinload(Comment.network),
            )
            .order_by(Comment.id)
        )
    )


@dataclass
class CommentCounts:
    """What a position's discussion holds, counted once: comments per section
    (deleted ones aside), and top-level comments (deleted ones too: they keep
    their place in the thread list) per section."""

    by_section: dict
    top_level: dict

    def threads(self, section: str | None) -> int:
        """How many threads the discussion lists, on one section or all."""
        if section is None:
            return sum(self.top_level.values())
        return self.top_level.get(section, 0)


def comment_counts(position_id: int, *, with_hidden=False) -> CommentCounts:
    """Comments per section and threads per section, in one query."""
    top = Comment.parent_id.is_(None)
    deleted = Comment.deleted_at.is_not(None)
    rows = db.session.execute(
        sa.select(Comment.section_id, top, deleted, sa.func.count())
        .where(Comment.position_id == position_id, *_visible(with_hidden))
        .group_by(Comment.section_id, top, deleted)
    ).all()
    counts = CommentCounts({}, {})
    for section, is_top, is_deleted, number in rows:
        if not is_deleted:
            counts.by_section[section] = counts.by_section.get(section, 0) + number
        if is_top:
            counts.top_level[section] = counts.top_level.get(section, 0) + number
    return counts


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
