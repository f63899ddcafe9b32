"""Members' pages: the national positions other installations sent for the
region to decline and amend, and their import as a regional position."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.workspace import bp
from advocacy.blueprints.workspace.forms import ImportOrientationForm
from advocacy.extensions import db
from advocacy.federation import orientations as service
from advocacy.federation import regional_amendments
from advocacy.forms import choices
from advocacy.permissions import (
    authorize,
    can_import_orientation,
    can_send_up_again,
    is_admin,
    lead_choices,
    member_required,
)
from advocacy.queries import federation as federation_queries
from advocacy.queries import networks as network_queries
from advocacy.services import ServiceError
from advocacy.web import peek, refuse_on_field


@bp.get("/orientations/")
@member_required
def orientations():
    """The national positions received, the latest first."""
    page = peek(federation_queries.orientations(), per_page=25, whole_rows=True)
    return render_template("workspace/orientations.html", page=page)


def _orientation_or_404(orientation_id: int):
    found = federation_queries.orientation(orientation_id)
    if found is None:
        abort(404)
    return found


def _leads():
    return (
        network_queries.active()
        if is_admin(current_user)
        else lead_choices(current_user)
    )


def _page(orientation, form, status: int = 200):
    declined = service.declined_by(orientation)
    return (
        render_template(
            "workspace/orientation.html",
            orientation=orientation,
            declined=declined,
            form=form if can_import_orientation(current_user) else None,
            may_send=declined is not None and can_send_up_again(current_user, declined),
        ),
        status,
    )


@bp.get("/orientations/<int:orientation_id>")
@member_required
def orientation(orientation_id: int):
    """One national position: its text, its closing date, and its import."""
    found = _orientation_or_404(orientation_id)
    form = ImportOrientationForm()
    form.lead.choices = choices((n.id, n.name) for n in _leads())
    return _page(found, form)


@bp.post("/orientations/<int:orientation_id>/import")
@member_required
def orientation_import(orientation_id: int):
    """Start the regional position that declines it."""
    if not can_import_orientation(current_user):
        abort(403)
    found = _orientation_or_404(orientation_id)
    leads = _leads()
    form = ImportOrientationForm()
    form.lead.choices = choices((n.id, n.name) for n in leads)
    if not form.validate_on_submit():
        return _page(found, form, 400)
    lead = next(n for n in leads if n.id == form.lead.data)
    try:
        position = service.import_orientation(found, lead=lead, by=current_user)
    except ServiceError as exc:
        if exc.status == 409:  # declined meanwhile: the page no longer offers it
            db.session.rollback()
            abort(409, description=exc.message)
        status = refuse_on_field(form.lead, exc)
        return _page(_orientation_or_404(orientation_id), form, status)
    db.session.commit()
    flash(
        _(
            "The regional position was created from the national one: amend it,"
            " then open its consultation."
        ),
        "success",
    )
    return redirect(url_for("positions.show", position_id=position.id))


@bp.post("/orientations/<int:orientation_id>/send")
@member_required
def orientation_send(orientation_id: int):
    """Staff send up again what the region adopted (after a link was resumed)."""
    found = _orientation_or_404(orientation_id)
    declined = service.declined_by(found)
    if declined is None:
        abort(409, description=_("This orientation is not declined in the region."))
    authorize(
        can_send_up_again,
        declined,
        conflict=_("What the region adopted goes up once the board has approved it."),
    )
    try:
        regional_amendments.send_up(declined, by=current_user)
    except ServiceError as exc:
        db.session.rollback()
        abort(exc.status, description=exc.message)
    db.session.commit()
    flash(_("What the region adopted will be sent up in a moment."), "success")
    return redirect(url_for("workspace.orientation", orientation_id=found.id))
