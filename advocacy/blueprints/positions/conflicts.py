"""Conflicts on the plain form: each conflicting passage settled by a choice.

When a save made from an outdated version changes the same lines as a save made
meanwhile, nothing is saved. The page shows each conflicting passage as two
wordings side by side, differing words marked, and asks, per passage: keep
mine, keep the other, keep both, or write it anew. Radio buttons, so it works
without JavaScript; nobody ever sees a merge marker. The resolution is saved
from the version shown, under the same merge rules as any save.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.common import chosen_network, position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.forms import ResolveForm
from advocacy.blueprints.positions.page import authorize_editing
from advocacy.diffing import side_by_side
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.models import Position, Revision
from advocacy.parsing import whole_number
from advocacy.permissions import writing_networks
from advocacy.services import ServiceError
from advocacy.services import positions as service


def _resolve_form(position: Position, formdata=None, **data) -> ResolveForm:
    form = ResolveForm(formdata=formdata, **data)
    networks = writing_networks(current_user, position)
    form.network.choices = choices((n.id, n.name) for n in networks)
    return form


def _blocks(merges: dict, picks: dict | None = None) -> list[dict]:
    """The conflicting passages, in order, with what the page shows and was chosen."""
    blocks = []
    for name, merge in merges.items():
        for k, (saved, mine) in enumerate(merge.conflicts):
            key = f"{name}-{k}"
            left, right = side_by_side(saved, mine)
            chosen, edited = (picks or {}).get(key, (None, mine))
            blocks.append(
                {
                    "key": key,
                    "field": name,
                    "number": k + 1,
                    "count": len(merge.conflicts),
                    "saved": left,
                    "mine": right,
                    "chosen": chosen,
                    "edited": edited,
                }
            )
    return blocks


def conflict_page(
    position: Position,
    conflict: service.EditConflict,
    *,
    message: str,
    network,
    picks: dict | None = None,
    missing: list[str] = (),
    error: str | None = None,
):
    """Nothing was saved: each conflicting passage, to settle by a choice."""
    position = position_or_404(position.id)
    form = _resolve_form(
        position,
        title=conflict.mine["title"],
        summary=conflict.mine["summary"],
        body=conflict.mine["body"],
        message=message,
        base_revision=conflict.current.id,
        started_from=conflict.base.id,
        network=network,
    )
    return render_template(
        "positions/conflict.html",
        position=position,
        form=form,
        current=conflict.current,
        blocks=_blocks(conflict.merges, picks),
        missing=set(missing),
        error=error,
    )


def _too_long(resolved: dict[str, str]) -> str | None:
    """The form's own limits, held for the text as resolved."""
    if len(resolved["title"]) > service.TITLE_MAX:
        return _("A title has at most 200 characters.")
    if len(resolved["summary"]) > service.SUMMARY_MAX:
        return _("A summary has at most 1,000 characters.")
    if len(resolved["body"]) > service.BODY_MAX:
        return _("The text has at most 200,000 characters.")
    return None


def _revision_of(position: Position, value) -> Revision:
    revision = db.session.get(Revision, whole_number(value) or 0)
    if revision is None or revision.position_id != position.id:
        abort(
            400,
            description=_("The versions to reconcile are not valid: reload the page."),
        )
    return revision


@bp.post("/<int:position_id>/resolve")
def resolve(position_id: int):
    """Save the text with each conflicting passage settled as chosen."""
    position = position_or_404(position_id)
    authorize_editing(position)
    form = _resolve_form(position, formdata=request.form)
    if not form.validate_on_submit():
        abort(
            400, description=" ".join(str(e) for es in form.errors.values() for e in es)
        )
    base = _revision_of(position, form.started_from.data)
    shown = _revision_of(position, form.base_revision.data)
    mine = {f: getattr(form, f).data or "" for f in service.TEXT_FIELDS}
    merges = service.merges_of(base, shown, mine)
    picks, missing = {}, []
    for block in _blocks(merges):
        choice = request.form.get(f"pick-{block['key']}")
        edited = request.form.get(f"edit-{block['key']}", "")
        if choice not in service.CHOICES:
            missing.append(block["key"])
        picks[block["key"]] = (choice, edited)
    network = chosen_network(
        writing_networks(current_user, position), form.network.data
    )
    conflict = service.EditConflict(shown, merges, mine, base)

    def ask_again(**problems):
        """The same passages, the choices kept, and what to correct."""
        return conflict_page(
            position,
            conflict,
            message=form.message.data,
            network=form.network.data,
            picks=picks,
            **problems,
        ), 400

    if missing:
        return ask_again(missing=missing)
    resolved = {
        f: service.resolve(
            merge,
            [picks[f"{f}-{k}"] for k in range(len(merge.conflicts))],
        )
        if merge.conflicted
        else merge.text
        for f, merge in merges.items()
    }
    too_long = _too_long(resolved)
    if too_long:
        return ask_again(error=too_long)
    try:
        result = service.save_revision(
            position,
            **resolved,
            message=form.message.data,
            base=shown,
            network=network,
            by=current_user,
        )
    except service.EditConflict as again:  # someone saved again meanwhile
        db.session.rollback()
        return conflict_page(
            position, again, message=form.message.data, network=form.network.data
        ), 409
    except ServiceError as exc:
        db.session.rollback()
        abort(exc.status, description=exc.message)
    db.session.commit()
    if result.unchanged:
        flash(_("Nothing changed: no new version was saved."), "info")
    else:
        flash(
            _("Saved as version %(number)d.", number=result.revision.number), "success"
        )
    return redirect(url_for("positions.show", position_id=position.id))
