"""Drafting: the list, a new position, its page, editing, co-authors, details, withdrawal."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.common import chosen_network, position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.conflicts import conflict_page
from advocacy.blueprints.positions.forms import (
    DetailsForm,
    EditForm,
    PositionFilterForm,
    PositionForm,
    WithdrawForm,
)
from advocacy.blueprints.positions.live import render_edit
from advocacy.blueprints.positions.page import (
    authorize_editing,
    coauthor_form,
    edit_form,
    render_show,
    theme_choices,
    themes,
)
from advocacy.errors import render_error
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.markup import render_markdown
from advocacy.models import (
    Arena,
    Network,
    Revision,
)
from advocacy.parsing import whole_number
from advocacy.permissions import (
    authorize,
    can_create_position,
    can_manage_coauthors,
    can_withdraw_position,
    is_admin,
    lead_choices,
    member_required,
    writing_networks,
)
from advocacy.queries import networks as network_queries
from advocacy.queries import positions as position_queries
from advocacy.services import ServiceError
from advocacy.services import positions as service
from advocacy.web import paginate, refuse_on_field

# --- Lists and creation ----------------------------------------------------------------


@bp.get("/")
@member_required
def index():
    """Positions that are not published yet, newest change first, filtered."""
    form = PositionFilterForm(request.args)
    form.theme.choices = choices(
        [("", _("All"))] + [(t.slug, t.name) for t in network_queries.all_themes()]
    )
    form.network.choices = choices(
        [("", _("All"))] + [(n.id, n.name) for n in network_queries.all_names()]
    )
    if not form.validate():
        return render_template(
            "positions/index.html", filters=form, pagination=None
        ), 400
    stmt = position_queries.filtered(form)
    return render_template(
        "positions/index.html", filters=form, pagination=paginate(stmt)
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required
def create():
    """Start a position for one of my networks."""
    if not can_create_position(current_user):
        abort(403)
    form = PositionForm()
    leads = (
        network_queries.active()
        if is_admin(current_user)
        else lead_choices(current_user)
    )
    form.lead.choices = choices((n.id, n.name) for n in leads)
    form.themes.choices = theme_choices()
    if not leads:
        flash(
            _("You need to represent an active network to start a position."), "warning"
        )
    if form.validate_on_submit():
        lead = next(n for n in leads if n.id == form.lead.data)
        position = service.create_position(
            title=form.title.data,
            summary=form.summary.data,
            body=form.body.data,
            lead=lead,
            themes=themes(form.themes.data),
            arenas=[Arena(a) for a in form.arenas.data],
            by=current_user,
        )
        db.session.commit()
        flash(
            _(
                "The position was created. Invite co-author networks to write it with you."
            ),
            "success",
        )
        return redirect(url_for("positions.show", position_id=position.id))
    status = 400 if request.method == "POST" else 200
    return render_template("positions/new.html", form=form), status


# --- The position -------------------------------------------------------------------------


@bp.get("/<int:position_id>")
def show(position_id: int):
    """The position: its current text, section by section, and who writes it."""
    return render_show(position_or_404(position_id))


@bp.route("/<int:position_id>/edit", methods=["GET", "POST"])
def edit(position_id: int):
    """Edit the text; a save made meanwhile by someone else is merged, or shown as a conflict."""
    position = position_or_404(position_id)
    authorize_editing(position)
    if request.method == "GET":
        return render_edit(position)
    form = edit_form(position, formdata=request.form)
    preview = None
    if request.form.get("action") == "preview":
        preview = render_markdown(form.body.data or "")
        form.validate()
        return render_template(
            "positions/edit.html", form=form, position=position, preview=preview
        )
    if not form.validate_on_submit():
        return render_template("positions/edit.html", form=form, position=position), 400
    base = _base_revision(form)
    if base is None:
        return render_template("positions/edit.html", form=form, position=position), 400
    network = chosen_network(
        writing_networks(current_user, position), form.network.data
    )
    try:
        result = service.save_revision(
            position,
            title=form.title.data,
            summary=form.summary.data,
            body=form.body.data,
            message=form.message.data,
            base=base,
            network=network,
            by=current_user,
        )
    except service.EditConflict as conflict:
        db.session.rollback()
        return conflict_page(
            position, conflict, message=form.message.data, network=form.network.data
        ), 409
    except ServiceError as exc:
        status = refuse_on_field(form.body, exc)
        return render_template(
            "positions/edit.html", form=form, position=position
        ), status
    db.session.commit()
    if result.unchanged:
        flash(_("Nothing changed: no new version was saved."), "info")
    elif result.merged_with:
        flash(
            _(
                "Saved as version %(number)d. Changes saved meanwhile by %(names)s were merged"
                " with yours: check the result.",
                number=result.revision.number,
                names=", ".join(result.merged_with),
            ),
            "warning",
        )
    else:
        flash(
            _("Saved as version %(number)d.", number=result.revision.number), "success"
        )
    return redirect(url_for("positions.show", position_id=position.id))


def _base_revision(form: EditForm) -> Revision | None:
    base_id = whole_number(form.base_revision.data)
    if base_id is None:
        form.base_revision.errors = [
            _("The version you started from is not valid: reload the page.")
        ]
        form.body.errors = [*form.body.errors, form.base_revision.errors[0]]
        return None
    base = db.session.get(Revision, base_id)
    if base is None:
        form.body.errors = [
            *form.body.errors,
            _("The version you started from does not exist: reload the page."),
        ]
        return None
    return base


@bp.post("/preview")
@member_required
def preview():
    """The text rendered exactly as it will be shown (for the editor's preview)."""
    text = request.form.get("body", "")
    if len(text) > 200_000:
        return render_error(400, _("The text has at most 200,000 characters."))
    return render_template("positions/_preview.html", preview=render_markdown(text))


# --- Co-authors, details, withdrawal ----------------------------------------------------


@bp.post("/<int:position_id>/coauthors")
def coauthor_add(position_id: int):
    """Invite a network to co-write."""
    position = position_or_404(position_id)
    authorize(
        can_manage_coauthors,
        position,
        conflict=_("Co-authors are chosen while the position is a draft."),
    )
    form = coauthor_form(position)
    asked = whole_number(request.form.get("network"))
    if asked in position.author_network_ids:
        taken = db.session.get(Network, asked)
        form.network.errors = [
            _("%(network)s already writes this position.", network=taken.name)
        ]
        return render_show(position, 409, coauthor_form=form)
    if not form.validate_on_submit():
        return render_show(position, 400, coauthor_form=form)
    network = db.session.get(Network, form.network.data)
    service.add_coauthor(position, network, by=current_user)
    db.session.commit()
    flash(
        _("%(network)s now co-writes this position.", network=network.name), "success"
    )
    return redirect(url_for("positions.show", position_id=position.id))


@bp.post("/<int:position_id>/coauthors/<int:network_id>/remove")
def coauthor_remove(position_id: int, network_id: int):
    """Stop a network co-writing."""
    position = position_or_404(position_id)
    authorize(
        can_manage_coauthors,
        position,
        conflict=_("Co-authors are chosen while the position is a draft."),
    )
    network = db.session.get(Network, network_id)
    if network is None:
        abort(404)
    service.remove_coauthor(position, network, by=current_user)
    db.session.commit()
    flash(
        _("%(network)s no longer co-writes this position.", network=network.name),
        "success",
    )
    return redirect(url_for("positions.show", position_id=position.id))


@bp.post("/<int:position_id>/details")
def details(position_id: int):
    """Change the themes and arenas."""
    position = position_or_404(position_id)
    authorize_editing(position)
    form = DetailsForm()
    form.themes.choices = theme_choices()
    if not form.validate_on_submit():
        return render_show(position, 400, details_form=form)
    service.update_details(
        position,
        themes=themes(form.themes.data),
        arenas=[Arena(a) for a in form.arenas.data],
        by=current_user,
    )
    db.session.commit()
    flash(_("Themes and arenas were updated."), "success")
    return redirect(url_for("positions.show", position_id=position.id))


@bp.post("/<int:position_id>/withdraw")
def withdraw(position_id: int):
    """Withdraw the position, with a reason."""
    position = position_or_404(position_id)
    authorize(
        can_withdraw_position,
        position,
        conflict=_("This position can no longer be withdrawn."),
    )
    form = WithdrawForm()
    if not form.validate_on_submit():
        return render_show(position, 400, withdraw_form=form)
    service.withdraw_position(position, reason=form.reason.data, by=current_user)
    db.session.commit()
    flash(_("The position was withdrawn."), "success")
    return redirect(url_for("positions.show", position_id=position.id))
