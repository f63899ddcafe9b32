"""Staff pages: the dashboard, and what the staff pages share."""

from flask import abort, render_template, request

from advocacy.blueprints.admin import bp
from advocacy.extensions import db
from advocacy.permissions import admin_required
from advocacy.queries import networks as network_queries


@bp.before_request
@admin_required
def _staff_only():
    """Every page here is for staff."""


@bp.get("/")
def index():
    """The staff dashboard."""
    counts = network_queries.dashboard_counts()
    return render_template("admin/index.html", counts=counts)


def get_or_404(model, ident: int):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def filters_or_400(form, template: str, **context):
    """Validate a filter form read from the query string; a 400 page when it is wrong."""
    if not form.validate():
        return render_template(template, filters=form, pagination=None, **context), 400
    return None


def form_page(template: str, form, **context):
    """A form page: 400 when a posted form is refused, 200 when it is first shown."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status
