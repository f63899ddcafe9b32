"""Annexes of a position: attached by those who may edit it, read by its readers."""

from urllib.parse import quote

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.common import chosen_network, position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.forms import AnnexForm
from advocacy.blueprints.positions.page import authorize_editing
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.permissions import can_edit_position, writing_networks
from advocacy.queries import positions as queries
from advocacy.services import ServiceError
from advocacy.services import annexes as service
from advocacy.storage import storage
from advocacy.web import refuse_on_field


def _page(position, form=None, status=200):
    if form is None and can_edit_position(current_user, position):
        form = AnnexForm()
    if form is not None:
        form.network.choices = choices(
            (n.id, n.name) for n in writing_networks(current_user, position)
        )
    return render_template(
        "positions/annexes.html",
        position=position,
        annexes=queries.annexes_of(position),
        form=form,
    ), status


def _annex_or_404(position, annex_id: int):
    annex = queries.annex(position, annex_id)
    if annex is None:
        abort(404, description=_("This position has no such annex."))
    return annex


@bp.get("/<int:position_id>/annexes")
def annexes(position_id: int):
    """The files attached to the position, and the form to attach one."""
    return _page(position_or_404(position_id))


@bp.post("/<int:position_id>/annexes")
def annex_add(position_id: int):
    """Attach a file, its type read from its content."""
    position = position_or_404(position_id)
    authorize_editing(position)
    form = AnnexForm()
    form.network.choices = choices(
        (n.id, n.name) for n in writing_networks(current_user, position)
    )
    if not form.validate_on_submit():
        return _page(position, form, 400)
    upload = form.file.data
    try:
        data = upload.read(current_app.config["ANNEX_MAX_BYTES"] + 1)
    finally:
        upload.close()  # a large file is spooled to disk: let it go now
    try:
        annex = service.attach(
            position,
            filename=upload.filename or "",
            data=data,
            by=current_user,
            network=chosen_network(
                writing_networks(current_user, position), form.network.data
            ),
        )
    except ServiceError as exc:
        status = refuse_on_field(form.file, exc)
        return _page(position_or_404(position_id), form, status)
    db.session.commit()
    flash(_("“%(name)s” is attached.", name=annex.filename), "success")
    return redirect(url_for("positions.annexes", position_id=position.id))


@bp.get("/<int:position_id>/annexes/<int:annex_id>")
def annex_download(position_id: int, annex_id: int):
    """The file, as a download of its stored type (never shown in the page)."""
    position = position_or_404(position_id)
    annex = _annex_or_404(position, annex_id)
    data = storage().get(annex.sha256)
    if data is None:
        abort(404, description=_("This file's content is missing."))
    response = current_app.response_class(data, mimetype=annex.mime)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(annex.filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=0"
    return response


@bp.post("/<int:position_id>/annexes/<int:annex_id>/delete")
def annex_remove(position_id: int, annex_id: int):
    """Take an annex off the position."""
    position = position_or_404(position_id)
    authorize_editing(position)
    annex = _annex_or_404(position, annex_id)
    name = annex.filename
    service.remove(annex, position, by=current_user)
    db.session.commit()
    flash(_("“%(name)s” was removed.", name=name), "success")
    return redirect(url_for("positions.annexes", position_id=position.id))
