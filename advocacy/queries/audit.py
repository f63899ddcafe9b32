"""Reads of the audit log: the staff's filtered list, what concerns one person."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advocacy.extensions import db
from advocacy.models import AuditEvent, User


def filtered(
    *,
    actor_email: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
) -> sa.Select:
    """Recorded changes, newest first, kept by the staff's filters.

    ``action`` ending in a dot, or without one, is a prefix ("position." or
    "position"); otherwise it is the exact action.
    """
    stmt = (
        sa.select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if actor_email:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            User.email == actor_email.lower()
        )
    if action:
        stmt = stmt.where(
            AuditEvent.action.startswith(action, autoescape=True)
            if action.endswith(".") or "." not in action
            else AuditEvent.action == action
        )
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.created_at >= since)
    if before is not None:
        stmt = stmt.where(AuditEvent.created_at < before)
    return stmt


def concerning(user: User, limit: int = 20) -> list[AuditEvent]:
    """The latest changes made to a person's account or by that person."""
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(
            sa.or_(
                sa.and_(
                    AuditEvent.object_type == "user", AuditEvent.object_id == user.id
                ),
                AuditEvent.actor_id == user.id,
            )
        )
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()
