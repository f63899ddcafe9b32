"""Reads of people: their memberships, their notifications, what happened near them."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.models import AuditEvent, Membership
from advocacy.models.notifications import Notification
from advocacy.queries.positions import written_by_networks_of


def memberships_of(user_id: int) -> list[Membership]:
    """A person's memberships with their networks, by network name."""
    rows = db.session.scalars(
        sa.select(Membership)
        .filter_by(user_id=user_id)
        .options(joinedload(Membership.network))
    ).all()
    return sorted(rows, key=lambda m: m.network.name.lower())


def latest_notifications(user_id: int, count: int = 5) -> list[Notification]:
    return db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(count)
    ).all()


def activity_near(user_id: int, actions) -> sa.Select:
    """Audit events of the positions a person's networks write, newest first."""
    return (
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == "position",
            AuditEvent.object_id.in_(written_by_networks_of(user_id)),
            AuditEvent.action.in_(list(actions)),
        )
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
