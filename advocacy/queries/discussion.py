"""Reads of a position's discussion: comments, and what each section gathered."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.models import Amendment, AmendmentStatus, Comment


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
