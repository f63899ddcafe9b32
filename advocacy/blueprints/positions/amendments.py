"""Amendment views: filing, listing, supporting, withdrawing, deciding."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from advocacy.blueprints.common import chosen_network, position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.forms import (
    AmendmentForm,
    AmendmentWordingForm,
    CommentEditForm,
    DecisionForm,
    SupportForm,
)
from advocacy.diffing import compare, inline_diff, losses, rendered_diff
from advocacy.extensions import db
from advocacy.federation import proposals
from advocacy.forms import choices
from advocacy.markup import render_excerpt
from advocacy.models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
)
from advocacy.permissions import (
    authorize,
    can_comment,
    can_decide_amendment,
    can_edit_amendment,
    can_file_amendment,
    can_file_for_region,
    can_support_amendment,
    can_withdraw_amendment,
    is_admin,
    speaking_networks,
)
from advocacy.queries import amendments as queries
from advocacy.sections import Section
from advocacy.services import ServiceError
from advocacy.services import amendments as service
from advocacy.services import consultation as consultation_service
from advocacy.web import paginate, refuse_on_field


def _amendment_or_404(position, number: int) -> Amendment:
    amendment = queries.numbered(position, number)
    if amendment is None:
        abort(
            404,
            description=_("This position has no amendment %(number)d.", number=number),
        )
    return amendment


def _section_choices(position):
    return choices(
        (s["id"], Section(id=s["id"], text=s["text"]).title)
        for s in position.current_revision.sections
    )


def _changes_of(kind, section_text: str, proposed: str, context: str) -> dict:
    """The change an amendment makes to its section: as it reads, and in the source."""
    if kind is AmendmentKind.DELETE:
        after = ""
    elif kind is AmendmentKind.INSERT_AFTER:
        after = section_text + "\n\n" + proposed
    else:
        after = proposed
    return {
        "source": compare(section_text, after),
        "rendered": rendered_diff(
            render_excerpt(section_text, context), render_excerpt(after, context)
        ),
    }


def _losses_of(kind, section_text: str, proposed: str, context: str) -> list:
    """What a replacement would silently drop: notes, links, list items."""
    if kind is not AmendmentKind.REPLACE:
        return []  # an insertion keeps the section; a deletion says what it drops
    return losses(
        render_excerpt(section_text, context), render_excerpt(proposed, context)
    )


def _held_back(form, section_text: str, context: str, page: dict) -> int | None:
    """Show the change as it would read; hold back a preview (200) or a wording
    that would drop notes, links or items without saying so (400). None: go on."""
    proposed = form.proposed.data or ""
    page["preview"] = _changes_of(form.kind.data, section_text, proposed, context)
    page["proposed_html"] = render_excerpt(proposed, context)
    page["losses"] = _losses_of(form.kind.data, section_text, proposed, context)
    if request.form.get("action") == "preview":
        return 200
    if page["losses"] and not form.accept_losses.data:
        form.accept_losses.errors = [
            _(
                "Put them back in the proposed text, or tick this box if removing"
                " them is what you propose."
            )
        ]
        return 400
    return None


def _for_region(position, key: str | None) -> proposals.Proposal | None:
    """What an amendment is filed in a region's name from: only the lead does
    so, from a contribution attached to the position or a region's amendment."""
    if key is None:
        return None
    authorize(can_file_for_region, position)
    try:
        return proposals.proposal(position, key)
    except ServiceError as exc:
        abort(exc.status, description=exc.message)


@bp.route("/<int:position_id>/amendments/new", methods=["GET", "POST"])
def amendment_new(position_id: int):
    """Propose an amendment: choose the section, then edit its text, with the change
    shown as it would read, and a warning before anything of it is lost."""
    position = position_or_404(position_id)
    authorize(
        can_file_amendment,
        position,
        conflict=_("Amendments are closed: the consultation is not open."),
    )
    context = position.current_revision.body
    sections = {s["id"]: s["text"] for s in position.current_revision.sections}
    form = AmendmentForm()
    form.section.choices = _section_choices(position)
    networks = speaking_networks(current_user)
    form.network.choices = choices((n.id, n.name) for n in networks)
    titles = {
        s["id"]: Section(id=s["id"], text=s["text"]).title
        for s in position.current_revision.sections
    }
    region = _for_region(position, request.values.get("region") or None)
    page = {"position": position, "form": form, "sections": titles, "region": region}
    if region is not None:
        form.region.data = region.key
    if request.method == "GET":
        wanted = request.args.get("section")
        if wanted is None and region is not None and region.section_id in sections:
            wanted = region.section_id  # the region said which section
        if wanted is None:  # first, which section
            return render_template("positions/amendment_new.html", **page)
        if wanted not in sections:
            abort(
                404, description=_("This section does not exist in the current text.")
            )
        form.form_token.data = service.new_form_token()
        form.section.data = wanted
        form.proposed.data = sections[wanted]  # an editable copy, not a blank box
        if region is not None:  # the region's wording, and where it comes from
            form.proposed.data = region.proposed or sections[wanted]
            form.rationale.data = region.rationale
            if region.kind is not None:
                form.kind.data = region.kind
        return render_template("positions/amendment_new.html", **page)
    if not form.validate_on_submit():
        return render_template("positions/amendment_new.html", **page), 400
    proposed = form.proposed.data or ""
    held = _held_back(form, sections.get(form.section.data, ""), context, page)
    if held is not None:
        return render_template("positions/amendment_new.html", **page), held
    try:
        amendment, created = service.file_amendment(
            position,
            section_id=form.section.data,
            kind=form.kind.data,
            proposed=proposed,
            rationale=form.rationale.data,
            network=chosen_network(networks, form.network.data),
            by=current_user,
            form_token=form.form_token.data or service.new_form_token(),
            for_region=region.columns if region else None,
        )
    except ServiceError as exc:
        field = form[exc.field] if exc.field else form.section
        status = refuse_on_field(field, exc)
        return render_template("positions/amendment_new.html", **page), status
    db.session.commit()
    if created:
        flash(_("Amendment %(number)d was filed.", number=amendment.number), "success")
    return redirect(
        url_for(
            "positions.amendment_show", position_id=position.id, number=amendment.number
        )
    )


@bp.route("/<int:position_id>/amendments/<int:number>/edit", methods=["GET", "POST"])
def amendment_edit(position_id: int, number: int):
    """Reword my network's amendment until the vote; each wording is kept and the
    networks that support it are told."""
    position = position_or_404(position_id)
    amendment = _amendment_or_404(position, number)
    authorize(
        can_edit_amendment,
        amendment,
        position,
        conflict=_("This amendment can no longer be changed."),
    )
    context = position.current_revision.body
    form = AmendmentWordingForm(obj=amendment if request.method == "GET" else None)
    page = {"position": position, "amendment": amendment, "form": form}
    if request.method == "GET":
        return render_template("positions/amendment_edit.html", **page)
    if not form.validate_on_submit():
        return render_template("positions/amendment_edit.html", **page), 400
    held = _held_back(form, amendment.section_text, context, page)
    if held is not None:
        return render_template("positions/amendment_edit.html", **page), held
    try:
        version = service.edit_amendment(
            amendment,
            position,
            kind=form.kind.data,
            proposed=form.proposed.data or "",
            rationale=form.rationale.data,
            by=current_user,
        )
    except ServiceError as exc:
        status = refuse_on_field(form[exc.field] if exc.field else form.proposed, exc)
        return render_template("positions/amendment_edit.html", **page), status
    db.session.commit()
    if version is None:
        flash(_("Nothing changed: the amendment reads as before."), "info")
    else:
        flash(
            _(
                "Amendment %(number)d now reads as its version %(version)d.",
                number=number,
                version=version.number,
            ),
            "success",
        )
    return redirect(
        url_for("positions.amendment_show", position_id=position.id, number=number)
    )


@bp.get("/<int:position_id>/amendments/")
def amendments(position_id: int):
    """Every amendment of the position, with its status and supports."""
    position = position_or_404(position_id)
    status = request.args.get("status") or None
    if status is not None and status not in {s.value for s in AmendmentStatus}:
        abort(400, description=_("Unknown status."))
    stmt = queries.of_position(position, AmendmentStatus(status) if status else None)
    known = {
        s["id"]: Section(id=s["id"], text=s["text"]).title
        for s in position.current_revision.sections
    }
    return render_template(
        "positions/amendments.html",
        position=position,
        pagination=paginate(stmt),
        status=status,
        known=known,
        statuses=list(AmendmentStatus),
    )


@bp.get("/<int:position_id>/amendments/<int:number>")
def amendment_show(position_id: int, number: int):
    """One amendment: the change as a diff, its rationale, supports and decision."""
    position = position_or_404(position_id)
    amendment = _amendment_or_404(position, number)
    return _render_amendment(position, amendment)


def _render_amendment(position, amendment, status: int = 200, **forms):
    context = {
        "position": position,
        "amendment": amendment,
        "diff": _changes_of(
            amendment.kind,
            amendment.section_text,
            amendment.proposed,
            position.current_revision.body,
        ),
        "proposed_html": Markup(amendment.proposed_html),  # noqa: S704 (sanitised when filed)
        "section_exists": amendment.section_id
        in {s["id"] for s in position.current_revision.sections},
    }
    context["versions"] = [
        (
            v,
            rendered_diff(before.proposed_html, v.proposed_html) if before else None,
            inline_diff(before.rationale, v.rationale)
            if before and before.rationale != v.rationale
            else None,
        )
        for before, v in zip(
            [None, *amendment.versions[:-1]], amendment.versions, strict=True
        )
    ]
    if can_support_amendment(current_user, amendment, position):
        form = forms.get("support_form") or SupportForm()
        taken = {s.network_id for s in amendment.supports} | {amendment.network_id}
        form.network.choices = choices(
            (n.id, n.name) for n in speaking_networks(current_user) if n.id not in taken
        )
        context["support_form"] = form if form.network.choices else None
    if can_decide_amendment(current_user, position):
        context["decision_form"] = forms.get("decision_form") or DecisionForm()
    context["comments"] = queries.comments_on(
        amendment, with_hidden=is_admin(current_user)
    )
    if can_comment(current_user, position):
        context["comment_form"] = forms.get("comment_form") or CommentEditForm()
    return render_template("positions/amendment.html", **context), status


@bp.post("/<int:position_id>/amendments/<int:number>/comments")
def amendment_comment(position_id: int, number: int):
    """Comment on an amendment."""
    position = position_or_404(position_id)
    amendment = _amendment_or_404(position, number)
    authorize(
        can_comment,
        position,
        conflict=_("Comments are closed: neither a consultation nor a vote is open."),
    )
    form = CommentEditForm()
    if not form.validate_on_submit():
        return _render_amendment(position, amendment, 400, comment_form=form)
    networks = speaking_networks(current_user)
    comment = consultation_service.post_comment(
        position,
        body=form.body.data,
        by=current_user,
        network=networks[0] if networks else None,
        amendment=amendment,
    )
    db.session.commit()
    flash(_("Your comment was published."), "success")
    return redirect(
        url_for("positions.amendment_show", position_id=position.id, number=number)
        + f"#comment-{comment.id}"
    )


@bp.post("/<int:position_id>/amendments/<int:number>/support")
def amendment_support(position_id: int, number: int):
    """Back the amendment on behalf of one of my networks."""
    position = position_or_404(position_id)
    amendment = _amendment_or_404(position, number)
    authorize(can_support_amendment, amendment, position)
    form = SupportForm()
    networks = {n.id: n for n in speaking_networks(current_user)}
    form.network.choices = choices((i, n.name) for i, n in networks.items())
    if not form.validate_on_submit():
        return _render_amendment(position, amendment, 400, support_form=form)
    try:
        service.support_amendment(
            amendment, position, network=networks[form.network.data], by=current_user
        )
    except ServiceError as exc:
        status = refuse_on_field(form.network, exc)
        return _render_amendment(
            position, _amendment_or_404(position, number), status, support_form=form
        )
    db.session.commit()
    flash(_("Your support was recorded."), "success")
    return redirect(
        url_for("positions.amendment_show", position_id=position.id, number=number)
    )


@bp.post("/<int:position_id>/amendments/<int:number>/withdraw")
def amendment_withdraw(position_id: int, number: int):
    """Withdraw my network's amendment before the vote."""
    position = position_or_404(position_id)
    amendment = _amendment_or_404(position, number)
    authorize(
        can_withdraw_amendment,
        amendment,
        position,
        conflict=_("This amendment can no longer be withdrawn."),
    )
    service.withdraw_amendment(amendment, position, by=current_user)
    db.session.commit()
    flash(_("The amendment was withdrawn."), "success")
    return redirect(
        url_for("positions.amendment_show", position_id=position.id, number=number)
    )


@bp.post("/<int:position_id>/amendments/<int:number>/decide")
def amendment_decide(position_id: int, number: int):
    """The lead decides what becomes of the amendment."""
    position = position_or_404(position_id)
    amendment = _amendment_or_404(position, number)
    authorize(
        can_decide_amendment,
        position,
        conflict=_("Amendments are decided while the consultation is under way."),
    )
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_amendment(position, amendment, 400, decision_form=form)
    try:
        service.decide_amendment(
            amendment,
            position,
            decision=form.decision.data,
            reason=form.reason.data,
            by=current_user,
        )
    except ServiceError as exc:
        status = refuse_on_field(form.reason, exc)
        return _render_amendment(
            position, _amendment_or_404(position, number), status, decision_form=form
        )
    db.session.commit()
    flash(_("The decision was recorded."), "success")
    return redirect(
        url_for("positions.amendment_show", position_id=position.id, number=number)
    )
