"""Staff pages: the dashboard, and what the staff pages share."""

import sqlalchemy as sa
from flask import abort, render_template, request

from advocacy.blueprints.admin import bp
from advocacy.extensions import db
from advocacy.models import (
    Invitation,
    Network,
    User,
    utcnow,
)
from advocacy.permissions import staff_required


@bp.before_request
@staff_required
def _staff_only():
    """Every page here is for staff."""


@bp.get("/")
def index():
    """The staff dashboard."""
    counts = {
        "networks": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Network)
            .where(Network.is_active.is_(True))
        ),
        "people": db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.is_active.is_(True))
        ),
        "invitations": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .where(*_pending_clauses())
        ),
    }
    return render_template("admin/index.html", counts=counts)


def _get_or_404(model, ident: int):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def _filters_or_400(form, template: str, **context):
    """Validate a filter form read from the query string; a 400 page when it is wrong."""
    if not form.validate():
        return render_template(template, filters=form, pagination=None, **context), 400
    return None


# --- Networks ------------------------------------------------------------------


def _form_page(template: str, form, **context):
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


# --- Moderation ----------------------------------------------------------------


def _pending_clauses():
    return (
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )
