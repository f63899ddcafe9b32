"""Consultation views: opening it, comments, reports."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.common import chosen_network, position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.forms import (
    CommentEditForm,
    ExtendConsultationForm,
    OpenConsultationForm,
    ReportForm,
)
from advocacy.blueprints.positions.page import (
    comment_form,
    render_show,
    run_dated_action,
)
from advocacy.extensions import db
from advocacy.models import Comment, Position
from advocacy.parsing import whole_number
from advocacy.permissions import (
    authorize,
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_manage_consultation,
    can_open_consultation,
    can_report_comment,
    can_see_comment,
    speaking_networks,
)
from advocacy.queries import people as people_queries
from advocacy.services import ServiceError
from advocacy.services import consultation as service
from advocacy.web import refuse_on_field, safe_next


def _back(position: Position, anchor: str = ""):
    return redirect(url_for("positions.show", position_id=position.id) + anchor)


@bp.post("/<int:position_id>/consultation/open")
def consultation_open(position_id: int):
    """Open the consultation: the text is frozen, every member may comment."""
    position = position_or_404(position_id)
    authorize(
        can_open_consultation,
        position,
        conflict=_("The consultation opens on a draft."),
    )
    form = OpenConsultationForm()
    refused = run_dated_action(
        position,
        form,
        "consultation_form",
        lambda closes_at: service.open_consultation(
            position,
            closes_at=closes_at,
            message=form.message.data,
            by=current_user,
            short_reason=form.short_reason.data or "",
        ),
        _("The consultation is open: every member network can now comment."),
    )
    return refused or _back(position)


@bp.post("/<int:position_id>/consultation/extend")
def consultation_extend(position_id: int):
    """Staff move the closing date later."""
    position = position_or_404(position_id)
    authorize(
        can_manage_consultation,
        position,
        conflict=_("The consultation is not under way."),
    )
    form = ExtendConsultationForm()
    refused = run_dated_action(
        position,
        form,
        "extend_form",
        lambda closes_at: service.extend_consultation(
            position, closes_at=closes_at, by=current_user
        ),
        _("The consultation was extended."),
    )
    return refused or _back(position)


@bp.post("/<int:position_id>/consultation/close")
def consultation_close(position_id: int):
    """Staff close the consultation early."""
    position = position_or_404(position_id)
    authorize(
        can_manage_consultation,
        position,
        conflict=_("The consultation is not under way."),
    )
    service.close_consultation(position, by=current_user)
    db.session.commit()
    flash(_("The consultation was closed."), "success")
    return _back(position)


# --- Comments ------------------------------------------------------------------------------


def _comment_or_404(position: Position, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.position_id != position.id:
        abort(404)
    if not can_see_comment(current_user, comment):
        abort(404)
    return comment


@bp.post("/<int:position_id>/comments")
def comment_create(position_id: int):
    """Comment on the text, on a section, or reply to a comment."""
    position = position_or_404(position_id)
    form = comment_form(position, request.form)
    authorize(
        can_comment,
        position,
        conflict=_("Comments are closed: the consultation is not open."),
    )
    if not form.validate_on_submit():
        return render_show(position, 400, comment_form=form)
    parent = None
    if form.parent.data:
        parent_id = whole_number(form.parent.data)
        parent = db.session.get(Comment, parent_id) if parent_id else None
        if parent is None:
            abort(400, description=_("The comment you answer does not exist."))
    network = chosen_network(speaking_networks(current_user), form.network.data)
    try:
        comment = service.post_comment(
            position,
            body=form.body.data,
            by=current_user,
            network=network,
            section_id=form.section.data or None,
            parent=parent,
        )
    except ServiceError as exc:
        status = refuse_on_field(form.body, exc)
        return render_show(position_or_404(position_id), status, comment_form=form)
    db.session.commit()
    flash(_("Your comment was published."), "success")
    return _back(position, f"#comment-{comment.id}")


@bp.route("/<int:position_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def comment_edit(position_id: int, comment_id: int):
    """The author rewords their comment."""
    position = position_or_404(position_id)
    comment = _comment_or_404(position, comment_id)
    authorize(
        can_edit_comment,
        comment,
        position,
        conflict=_("This comment can no longer be edited."),
    )
    form = CommentEditForm(body=comment.body)
    if form.validate_on_submit():
        service.edit_comment(comment, body=form.body.data, by=current_user)
        db.session.commit()
        flash(_("Your comment was updated."), "success")
        return _back(position, f"#comment-{comment.id}")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "positions/comment_edit.html", position=position, comment=comment, form=form
    ), status


@bp.post("/<int:position_id>/comments/<int:comment_id>/delete")
def comment_delete(position_id: int, comment_id: int):
    """The author deletes their comment (replies stay)."""
    position = position_or_404(position_id)
    comment = _comment_or_404(position, comment_id)
    authorize(
        can_delete_comment, comment, conflict=_("This comment was already deleted.")
    )
    service.delete_comment(comment, by=current_user)
    db.session.commit()
    flash(_("Your comment was deleted."), "success")
    return _back(position, f"#comment-{comment.id}")


@bp.route(
    "/<int:position_id>/comments/<int:comment_id>/report", methods=["GET", "POST"]
)
def comment_report(position_id: int, comment_id: int):
    """Ask the staff to look at a comment."""
    position = position_or_404(position_id)
    comment = _comment_or_404(position, comment_id)
    if not can_report_comment(current_user, comment):
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        service.report_comment(
            comment, reason=form.reason.data, note=form.note.data, by=current_user
        )
        db.session.commit()
        flash(_("Thank you: the staff will look at this comment."), "success")
        return redirect(
            safe_next(request.args.get("next"))
            or url_for("positions.show", position_id=position.id)
        )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "positions/comment_report.html", position=position, comment=comment, form=form
    ), status


@bp.get("/<int:position_id>/mentions")
def mention_suggestions(position_id: int):
    """Members and networks whose name holds ``q``: what typing ``@`` suggests.

    Only who may see the position (its readers are members, so: members); the
    answer is the same for everyone who may read it.
    """
    position_or_404(position_id)
    text = (request.args.get("q") or "").strip()
    if len(text) > 80:
        abort(400, description=_("Type at most 80 characters of a name."))
    if len(text) < 2:
        return jsonify([])
    users, networks = people_queries.mention_suggestions(text)
    return jsonify(
        [
            {
                "name": u.display_name,
                "detail": ", ".join(m.network.name for m in u.memberships)
                or _("Board and staff"),
            }
            for u in users
        ]
        + [{"name": n.name, "detail": _("Network")} for n in networks]
    )
