"""The steps after the vote: consolidation, the board, publication, new versions."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from advocacy.blueprints.common import ask_first, position_or_404
from advocacy.blueprints.positions import bp
from advocacy.extensions import db
from advocacy.models import (
    Statement,
)
from advocacy.permissions import (
    authorize,
    can_consolidate,
    can_publish,
    can_revise_statement,
    can_submit_to_board,
)
from advocacy.queries import amendments as amendment_queries
from advocacy.queries import statements as statement_queries
from advocacy.services import board as board_service
from advocacy.services import consolidation as consolidation_service
from advocacy.services import statements as statements_service

# --- Consolidation -------------------------------------------------------------------------


NOT_CONSOLIDATING = _l("The text is not being consolidated: its vote is not over.")


@bp.post("/<int:position_id>/consolidation/apply")
def consolidation_apply(position_id: int):
    """Write the adopted amendments into the text where their section is unchanged."""
    position = position_or_404(position_id)
    authorize(can_consolidate, position, conflict=NOT_CONSOLIDATING)
    back = url_for("positions.show", position_id=position.id)
    if (asked := ask_first("consolidate", back)) is not None:
        return asked
    applied, by_hand = consolidation_service.apply_amendments(position, by=current_user)
    db.session.commit()
    if applied:
        flash(
            _(
                "Amendments written into the text: %(numbers)s.",
                numbers=", ".join(str(a.number) for a in applied),
            ),
            "success",
        )
    if by_hand:
        flash(
            _(
                "To integrate by hand (their section changed): %(numbers)s.",
                numbers=", ".join(str(a.number) for a in by_hand),
            ),
            "warning",
        )
    if not applied and not by_hand:
        flash(_("Every adopted amendment is already in the text."), "info")
    return redirect(url_for("positions.show", position_id=position.id))


@bp.post("/<int:position_id>/amendments/<int:number>/integrated")
def amendment_integrated(position_id: int, number: int):
    """Confirm an adopted amendment was integrated by hand."""
    position = position_or_404(position_id)
    authorize(can_consolidate, position, conflict=NOT_CONSOLIDATING)
    amendment = amendment_queries.numbered(position, number)
    if amendment is None:
        abort(404)
    consolidation_service.mark_integrated(amendment, position, by=current_user)
    db.session.commit()
    flash(_("Amendment %(number)d is marked as integrated.", number=number), "success")
    return redirect(url_for("positions.show", position_id=position.id))


@bp.post("/<int:position_id>/submit")
def submit(position_id: int):
    """Send the consolidated text to the board."""
    position = position_or_404(position_id)
    authorize(can_submit_to_board, position, conflict=NOT_CONSOLIDATING)
    back = url_for("positions.show", position_id=position.id)
    if (asked := ask_first("submit", back)) is not None:
        return asked
    board_service.submit_to_board(position, by=current_user)
    db.session.commit()
    flash(_("The text was submitted to the board."), "success")
    return redirect(url_for("positions.show", position_id=position.id))


@bp.post("/<int:position_id>/publish")
def publish(position_id: int):
    """Publish the approved position as a statement."""
    position = position_or_404(position_id)
    authorize(
        can_publish,
        position,
        conflict=_(
            "Only an approved position can be published: this one is %(state)s.",
            state=position.state.label,
        ),
    )
    back = url_for("positions.show", position_id=position.id)
    if (asked := ask_first("publish", back)) is not None:
        return asked
    version = statements_service.publish_statement(position, by=current_user)
    db.session.commit()
    statement = db.session.get(Statement, version.statement_id)
    flash(_("Published as version %(number)d.", number=version.number), "success")
    return redirect(url_for("public.statement", slug=statement.slug))


@bp.post("/<int:position_id>/revise")
def revise(position_id: int):
    """Start a new version of the published statement."""
    position = position_or_404(position_id)
    authorize(
        can_revise_statement,
        position,
        conflict=_("Only a published statement can be revised."),
    )
    statements_service.revise_statement(position, by=current_user)
    db.session.commit()
    flash(
        _("A new version is being drafted; the published one stays online."), "success"
    )
    return redirect(url_for("positions.show", position_id=position.id))


@bp.post("/<int:position_id>/consolidation/draft")
def consolidation_draft(position_id: int):
    """The text was not adopted: take it back to drafting."""
    position = position_or_404(position_id)
    authorize(can_consolidate, position, conflict=NOT_CONSOLIDATING)
    consolidation_service.return_to_draft(position, by=current_user)
    db.session.commit()
    flash(_("The position is a draft again."), "success")
    return redirect(url_for("positions.show", position_id=position.id))


@bp.get("/<int:position_id>/statement")
def public_link(position_id: int):
    """From the drafting room to the public statement."""
    position = position_or_404(position_id)
    statement = statement_queries.of_position(position)
    if statement is None or statement.current_version_id is None:
        abort(404, description=_("This position has not been published."))
    return redirect(url_for("public.statement", slug=statement.slug))
