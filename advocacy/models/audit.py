"""The append-only audit log: who did what, when, from what to what.

The guard below refuses changes to every ``AppendOnly`` model.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from advocacy.models.base import AppendOnly, Base, UTCDateTime, utcnow
from advocacy.models.users import User


class AuditEvent(AppendOnly, Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Null for acts of the system or the command line.
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: A dotted verb, e.g. ``network.create`` or ``user.deactivate``.
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int | None] = mapped_column()
    #: What changed: ``{"field": [before, after]}`` or other details.
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )

    actor: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a row that is append-only."""


@event.listens_for(Session, "before_flush")
def _guard_append_only(session, _flush_context, _instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AppendOnly) and (
            obj in session.deleted or session.is_modified(obj)
        ):
            raise AppendOnlyError(f"{type(obj).__name__} rows are append-only")
