"""Live co-writing, the app's side: the pass to a room, saving a version of the live text."""

import secrets

from flask import current_app, flash, g, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.common import chosen_network, position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.forms import LiveSaveForm
from advocacy.blueprints.positions.page import authorize_editing, edit_form
from advocacy.collab.tokens import make_token
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.models import Position
from advocacy.permissions import writing_networks
from advocacy.services import ServiceError
from advocacy.services import positions as service
from advocacy.web import refuse_on_field

#: Carets and name tags of the people in a room: dark enough for white text (AA).
COLOURS = (
    "#1b5e8a",
    "#8a1b4f",
    "#2e6b1f",
    "#6a3fa0",
    "#9a4a00",
    "#00695c",
    "#a0281e",
    "#37474f",
)


def room_token(position: Position) -> str:
    """A fresh pass for the current person to this position's room."""
    return make_token(
        current_app.config["SECRET_KEY"],
        person_id=current_user.id,
        position_id=position.id,
    )


def live_form(position: Position) -> LiveSaveForm:
    """The form that saves a version of the live text (filled from the request)."""
    form = LiveSaveForm(prefix="live")
    networks = writing_networks(current_user, position)
    form.network.choices = choices((n.id, n.name) for n in networks)
    return form


def live_editor(position: Position, form: LiveSaveForm | None = None) -> dict | None:
    """What the edit page needs to open the live editor (None when it is turned off)."""
    if not current_app.config["COLLAB_URL"]:
        return None
    g.style_nonce = secrets.token_urlsafe(16)
    networks = writing_networks(current_user, position)
    return {
        "url": current_app.config["COLLAB_URL"],
        "token": room_token(position),
        "name": current_user.display_name,
        "network": networks[0].name if networks else _("staff"),
        "colour": COLOURS[current_user.id % len(COLOURS)],
        "nonce": g.style_nonce,
        "limits": {
            "title": service.TITLE_MAX,
            "summary": service.SUMMARY_MAX,
            "body": service.BODY_MAX,
        },
        "form": form or live_form(position),
    }


@bp.get("/<int:position_id>/live/token")
def live_token(position_id: int):
    """A fresh pass to the room, for an editor that reconnects."""
    position = position_or_404(position_id)
    authorize_editing(position)
    response = jsonify(
        token=room_token(position),
        expires_in=current_app.config["COLLAB_TOKEN_SECONDS"],
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:position_id>/live/save")
def live_save(position_id: int):
    """Save a version of the text as the co-authors wrote it together."""
    position = position_or_404(position_id)
    authorize_editing(position)
    form = live_form(position)
    if form.validate_on_submit():
        network = chosen_network(
            writing_networks(current_user, position), form.network.data
        )
        try:
            revision = service.cut_live_revision(
                position, by=current_user, network=network, message=form.message.data
            )
        except ServiceError as exc:
            db.session.rollback()
            status = refuse_on_field(form.message, exc)
        else:
            db.session.commit()
            if revision is None:
                flash(_("Nothing changed: no new version was saved."), "info")
            else:
                flash(
                    _("Saved as version %(number)d.", number=revision.number),
                    "success",
                )
            return redirect(url_for("positions.edit", position_id=position.id))
    else:
        status = 400
    return render_edit(position_or_404(position_id), form), status


def render_edit(position: Position, form: LiveSaveForm | None = None) -> str:
    """The edit page: the live editor, and the plain form on the current version."""
    current = position.current_revision
    plain = edit_form(
        position,
        title=current.title,
        summary=current.summary,
        body=current.body,
        base_revision=current.id,
    )
    return render_template(
        "positions/edit.html",
        form=plain,
        position=position,
        live=live_editor(position, form),
    )
