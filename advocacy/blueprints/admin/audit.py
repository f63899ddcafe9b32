"""Staff pages: the audit log."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, render_template, request
from sqlalchemy.orm import selectinload

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    AuditFilterForm,
)
from advocacy.blueprints.admin.views import _filters_or_400
from advocacy.models import (
    AuditEvent,
    User,
)
from advocacy.web import paginate


def _day_start_utc(day) -> datetime:
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=tz)


@bp.get("/audit/")
def audit_log():
    """Every recorded change, newest first, filtered and paginated."""
    form = AuditFilterForm(request.args)
    failed = _filters_or_400(form, "admin/audit.html")
    if failed:
        return failed
    stmt = (
        sa.select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if form.actor.data:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            User.email == form.actor.data.lower()
        )
    if form.action.data:
        action = form.action.data
        stmt = stmt.where(
            AuditEvent.action.startswith(action, autoescape=True)
            if action.endswith(".") or "." not in action
            else AuditEvent.action == action
        )
    if form.object_type.data:
        stmt = stmt.where(AuditEvent.object_type == form.object_type.data)
    if form.object_id.data:
        stmt = stmt.where(AuditEvent.object_id == form.object_id.data)
    if form.date_from.data:
        stmt = stmt.where(AuditEvent.created_at >= _day_start_utc(form.date_from.data))
    if form.date_to.data:
        stmt = stmt.where(
            AuditEvent.created_at
            < _day_start_utc(form.date_to.data + timedelta(days=1))
        )
    return render_template("admin/audit.html", filters=form, pagination=paginate(stmt))


# --- Helpers -------------------------------------------------------------------
