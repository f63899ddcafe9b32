"""The regions' contributions at work on a position in consultation: attaching
them, quoting their sections in comments (federation)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy.blueprints.common import chosen_network, label_of, position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.forms import AttachContributionForm, QuoteForm
from advocacy.blueprints.positions.page import comment_form
from advocacy.extensions import db
from advocacy.federation import attachments
from advocacy.forms import choices
from advocacy.markup import render_markdown
from advocacy.models import Department, EssFamily, Position
from advocacy.models.federation import Contribution
from advocacy.parsing import whole_number
from advocacy.permissions import (
    authorize,
    can_attach_contribution,
    can_comment,
    can_file_for_region,
    speaking_networks,
)
from advocacy.queries import federation as federation_queries
from advocacy.services import ServiceError
from advocacy.services import consultation as consultation_service
from advocacy.web import refuse_on_field

#: How many received contributions the attach form offers, the latest first.
OFFERED = 200
#: The longest comment, quotation included (as for any comment).
COMMENT_MAX = 10_000


def _attach_form(position: Position, formdata=None) -> AttachContributionForm | None:
    if not can_attach_contribution(current_user, position):
        return None
    form = AttachContributionForm(formdata=formdata)
    form.contribution.choices = choices(
        (c.id, _("%(title)s (%(chamber)s)", title=c.title, chamber=name))
        for c, name in federation_queries.attachable(position.id, OFFERED)
    )
    return form


def _page(position: Position, status: int = 200, **forms):
    attached = federation_queries.attached(position.id)
    by_section: dict[str, list] = {}
    for row in federation_queries.regional_amendments(position.id):
        by_section.setdefault(row[0].section_id, []).append(row)
    sections = position.current_revision.sections if position.current_revision else []
    known = {s["id"] for s in sections}
    page = render_template(
        "positions/contributions.html",
        position=position,
        attached=attached,
        sections=[(s, by_section.get(s["id"], [])) for s in sections],
        elsewhere=[
            row for key, rows in by_section.items() if key not in known for row in rows
        ],
        regional_count=sum(len(rows) for rows in by_section.values()),
        taken_up=federation_queries.taken_up(position.id) if by_section else {},
        family_label=lambda value: label_of(EssFamily, value),
        department_label=lambda value: label_of(Department, value),
        sections_html={
            (c.id, s["id"]): render_markdown(s.get("text") or "")
            for c, _name, version in attached
            for s in version.sections
        },
        attach_form=forms.get("attach_form", _attach_form(position)),
        may_quote=can_comment(current_user, position),
        may_file=can_file_for_region(current_user, position),
        may_detach=can_attach_contribution(current_user, position),
    )
    return page, status


@bp.get("/<int:position_id>/contributions")
def contributions(position_id: int):
    """The contributions attached to the position, section by section."""
    return _page(position_or_404(position_id))


@bp.post("/<int:position_id>/contributions")
def contribution_attach(position_id: int):
    position = position_or_404(position_id)
    authorize(
        can_attach_contribution,
        position,
        conflict=_("Contributions are attached while the consultation is open."),
    )
    wanted = whole_number(request.form.get("contribution", ""))
    if wanted is not None and attachments.attached(position, wanted) is not None:
        # a second click: it is attached, and no longer offered
        flash(_("The contribution is attached to the position."), "success")
        return redirect(url_for("positions.contributions", position_id=position.id))
    form = _attach_form(position, request.form)
    if not form.validate_on_submit():
        return _page(position, 400, attach_form=form)
    contribution = db.session.get(Contribution, form.contribution.data)
    try:
        attached = attachments.attach(position, contribution, by=current_user)
    except ServiceError as exc:
        status = refuse_on_field(form.contribution, exc)
        return _page(position_or_404(position_id), status, attach_form=form)
    db.session.commit()
    if attached:
        flash(_("The contribution is attached to the position."), "success")
    return redirect(url_for("positions.contributions", position_id=position.id))


@bp.post("/<int:position_id>/contributions/<int:contribution_id>/detach")
def contribution_detach(position_id: int, contribution_id: int):
    position = position_or_404(position_id)
    authorize(
        can_attach_contribution,
        position,
        conflict=_("Contributions are attached while the consultation is open."),
    )
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        abort(404)
    try:
        attachments.detach(position, contribution, by=current_user)
    except ServiceError as exc:
        db.session.rollback()
        abort(exc.status, description=exc.message)
    db.session.commit()
    flash(_("The contribution was taken off the position."), "success")
    return redirect(url_for("positions.contributions", position_id=position.id))


@bp.route("/<int:position_id>/contributions/quote", methods=["GET", "POST"])
def contribution_quote(position_id: int):
    """Comment on the position, opening with a section of a contribution."""
    position = position_or_404(position_id)
    authorize(
        can_comment,
        position,
        conflict=_("Comments are closed: the consultation is not open."),
    )
    key = request.values.get("cite", "")
    try:
        cite = attachments.cited(position, key)
    except ServiceError as exc:
        abort(exc.status, description=exc.message)
    form = QuoteForm(formdata=request.form if request.method == "POST" else None)
    base = comment_form(position)
    form.section.choices, form.network.choices = (
        base.section.choices,
        base.network.choices,
    )
    form.cite.data = cite.key
    page = {
        "position": position,
        "form": form,
        "cite": cite,
        "quote_html": render_markdown(attachments.quotation(cite)),
    }
    if request.method == "GET":
        return render_template("positions/contribution_quote.html", **page)
    if not form.validate_on_submit():
        return render_template("positions/contribution_quote.html", **page), 400
    body = attachments.quotation(cite) + form.body.data
    if len(body) > COMMENT_MAX:
        form.body.errors = [
            _(
                "With the quotation, a comment has at most %(max)d characters:"
                " shorten yours by %(over)d.",
                max=COMMENT_MAX,
                over=len(body) - COMMENT_MAX,
            )
        ]
        return render_template("positions/contribution_quote.html", **page), 400
    network = chosen_network(speaking_networks(current_user), form.network.data)
    try:
        comment = consultation_service.post_comment(
            position,
            body=body,
            by=current_user,
            network=network,
            section_id=form.section.data or None,
            cited=(cite.contribution.id, cite.section["id"]),
        )
    except ServiceError as exc:
        status = refuse_on_field(form.section, exc)
        return render_template("positions/contribution_quote.html", **page), status
    db.session.commit()
    flash(_("Your comment was published."), "success")
    return redirect(
        url_for("positions.show", position_id=position.id) + f"#comment-{comment.id}"
    )
