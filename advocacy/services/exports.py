"""A person's own data, for the account page's download."""

from typing import Any

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import AuditEvent, User


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, in plain JSON types."""
    events = db.session.scalars(
        sa.select(AuditEvent).filter_by(actor_id=user.id).order_by(AuditEvent.id)
    )
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "locale": user.locale,
            "is_admin": user.is_admin,
            "is_board": user.is_board,
            "is_active": user.is_active,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "memberships": [
            {
                "network": m.network.name,
                "network_slug": m.network.slug,
                "role": m.role.value,
                "since": _iso(m.created_at),
            }
            for m in user.memberships
        ],
        "activity": [
            {
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "details": e.payload,
                "at": _iso(e.created_at),
            }
            for e in events
        ],
    }
