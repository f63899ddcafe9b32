"""Staff pages: the audit log."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    AuditFilterForm,
)
from advocacy.blueprints.admin.views import filters_or_400
from advocacy.queries import audit
from advocacy.web import paginate


def _day_start_utc(day) -> datetime:
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=tz)


@bp.get("/audit/")
def audit_log():
    """Every recorded change, newest first, filtered and paginated."""
    form = AuditFilterForm(request.args)
    failed = filters_or_400(form, "admin/audit.html")
    if failed:
        return failed
    stmt = audit.filtered(
        actor_email=form.actor.data,
        action=form.action.data,
        object_type=form.object_type.data,
        object_id=form.object_id.data,
        since=_day_start_utc(form.date_from.data) if form.date_from.data else None,
        before=(
            _day_start_utc(form.date_to.data + timedelta(days=1))
            if form.date_to.data
            else None
        ),
    )
    return render_template("admin/audit.html", filters=form, pagination=paginate(stmt))


# --- Helpers -------------------------------------------------------------------
