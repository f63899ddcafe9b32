"""The history of a position's text: versions, comparisons, restoring."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy import fragments
from advocacy.blueprints.common import position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.page import (
    authorize_editing,
    revision_or_404,
)
from advocacy.diffing import compare, inline_diff, rendered_diff
from advocacy.extensions import db
from advocacy.permissions import can_edit_position, writing_networks
from advocacy.queries import positions as queries
from advocacy.services import positions as service
from advocacy.web import paginate, version_param

HISTORY_PER_PAGE = 50


# --- History and comparison -------------------------------------------------------------


@bp.get("/<int:position_id>/history")
def history(position_id: int):
    """Every version: who wrote it, for which network, when, and why."""
    position = position_or_404(position_id)
    pagination = paginate(queries.history(position), per_page=HISTORY_PER_PAGE)
    can_restore = can_edit_position(current_user, position)
    # versions never change: the rows change with the current version, the right to
    # restore, and the names of authors and networks
    shown = [
        (
            r.id,
            r.author and r.author.display_name,
            r.network and r.network.name,
            [
                (c.user.display_name, c.network and c.network.name)
                for c in r.contributors
            ],
        )
        for r in pagination.items
    ]
    table = fragments.kept_one(
        fragments.key(
            "history", position.id, position.current_revision_id, can_restore, shown
        ),
        lambda: render_template(
            "positions/_history_table.html",
            position=position,
            revisions=pagination.items,
            can_restore=can_restore,
        ),
    )
    return render_template(
        "positions/history.html", position=position, pagination=pagination, table=table
    )


@bp.get("/<int:position_id>/v<int:number>")
def revision(position_id: int, number: int):
    """One version as it was."""
    position = position_or_404(position_id)
    revision = revision_or_404(position, number)
    return render_template(
        "positions/revision.html", position=position, revision=revision
    )


@bp.get("/<int:position_id>/compare")
def compare_view(position_id: int):
    """Two versions compared word by word: as the text reads, or in the source."""
    position = position_or_404(position_id)
    current = position.current_revision.number
    to_number = version_param("to", current)
    from_number = version_param("from", max(to_number - 1, 1))
    view = request.args.get("view", "text")
    if view not in ("text", "inline", "side"):
        abort(400, description=_("Choose the inline or the side-by-side display."))
    old = revision_or_404(position, from_number)
    new = revision_or_404(position, to_number)

    def changes() -> str:
        return render_template(
            "positions/_changes.html",
            old=old,
            new=new,
            view=view,
            comparison=compare(old.body, new.body),
            rendered=rendered_diff(old.body_html, new.body_html)
            if view == "text"
            else None,
            title_diff=inline_diff(old.title, new.title),
            summary_diff=inline_diff(old.summary, new.summary),
        )

    return render_template(
        "positions/compare.html",
        position=position,
        old=old,
        new=new,
        view=view,
        # versions never change: their comparison is computed once
        changes=fragments.kept_one(
            fragments.key("diff", old.id, new.id, view), changes
        ),
        numbers=list(range(current, 0, -1)) if current <= 200 else None,
    )


@bp.post("/<int:position_id>/v<int:number>/restore")
def restore(position_id: int, number: int):
    """Bring an old version back (as a new version)."""
    position = position_or_404(position_id)
    authorize_editing(position)
    old = revision_or_404(position, number)
    networks = writing_networks(current_user, position)
    restored = service.restore_revision(
        position, old, by=current_user, network=networks[0] if networks else None
    )
    db.session.commit()
    flash(
        _(
            "Version %(old)d was restored as version %(new)d.",
            old=number,
            new=restored.number,
        ),
        "success",
    )
    return redirect(url_for("positions.show", position_id=position.id))
