import re

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload, selectinload

from advocacy.blueprints.common import position_or_404
from advocacy.blueprints.positions import bp
from advocacy.blueprints.positions.forms import (
    CoAuthorForm,
    CommentForm,
    DetailsForm,
    EditForm,
    ExtendConsultationForm,
    OpenConsultationForm,
    OpenVoteForm,
    PositionFilterForm,
    PositionForm,
    WithdrawForm,
)
from advocacy.diffing import compare, inline_diff
from advocacy.errors import render_error
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.i18n import local_to_utc
from advocacy.markup import render_markdown
from advocacy.models import (
    Amendment,
    AmendmentStatus,
    Arena,
    CoAuthor,
    Comment,
    Network,
    Position,
    PositionArena,
    Revision,
    Theme,
)
from advocacy.parsing import whole_number
from advocacy.permissions import (
    authorize,
    can_comment,
    can_consolidate,
    can_create_position,
    can_edit_position,
    can_manage_coauthors,
    can_manage_consultation,
    can_open_consultation,
    can_open_vote,
    can_withdraw_position,
    is_staff,
    lead_choices,
    member_required,
    speaking_networks,
    writing_networks,
)
from advocacy.sections import Section
from advocacy.services import ServiceError
from advocacy.services import positions as service
from advocacy.services.consolidation import pending_amendments, text_motion
from advocacy.web import contains, paginate, refuse_on_field, version_param

HISTORY_PER_PAGE = 50


@bp.app_template_filter("section_title")
def section_title(text: str) -> str:
    """A section's heading, or the start of its first block."""
    return Section(id="", text=text).title


# --- Loading -----------------------------------------------------------------------


def _revision_or_404(position: Position, number: int) -> Revision:
    revision = db.session.scalar(
        sa.select(Revision)
        .where(Revision.position_id == position.id, Revision.number == number)
        .options(joinedload(Revision.author), joinedload(Revision.network))
    )
    if revision is None:
        abort(
            404,
            description=_("This position has no version %(number)d.", number=number),
        )
    return revision


def _theme_choices():
    rows = db.session.execute(
        sa.select(Theme.id, Theme.name_fr, Theme.name_en)
        .where(Theme.is_active.is_(True))
        .order_by(Theme.sort_order, Theme.id)
    ).all()
    english = str(get_locale()) == "en"
    return choices((r.id, r.name_en if english else r.name_fr) for r in rows)


def _themes(ids: list[int]) -> list[Theme]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Theme).where(Theme.id.in_(ids))))


# --- Lists and creation ----------------------------------------------------------------


@bp.get("/")
@member_required
def index():
    """Positions that are not published yet, newest change first, filtered."""
    form = PositionFilterForm(request.args)
    form.theme.choices = choices(
        [("", _("All"))]
        + [
            (t.slug, t.name)
            for t in db.session.scalars(
                sa.select(Theme).order_by(Theme.sort_order, Theme.id)
            )
        ]
    )
    form.network.choices = choices(
        [("", _("All"))]
        + [
            (n.id, n.name)
            for n in db.session.execute(
                sa.select(Network.id, Network.name).order_by(Network.name)
            )
        ]
    )
    if not form.validate():
        return render_template(
            "positions/index.html", filters=form, pagination=None
        ), 400
    stmt = (
        sa.select(Position)
        .options(
            joinedload(Position.lead_network),
            selectinload(Position.themes),
            selectinload(Position.arena_rows),
        )
        .order_by(Position.updated_at.desc(), Position.id.desc())
    )
    if form.q.data:
        stmt = stmt.where(contains(Position.title, form.q.data))
    if form.state.data is not None:
        stmt = stmt.where(Position.state == form.state.data)
    if form.theme.data:
        stmt = stmt.where(Position.themes.any(Theme.slug == form.theme.data))
    if form.arena.data is not None:
        stmt = stmt.where(
            Position.arena_rows.any(PositionArena.arena == form.arena.data)
        )
    if form.network.data:
        stmt = stmt.where(
            sa.or_(
                Position.lead_network_id == form.network.data,
                Position.coauthors.any(CoAuthor.network_id == form.network.data),
            )
        )
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
        db.session.scalars(
            sa.select(Network).where(Network.is_active.is_(True)).order_by(Network.name)
        ).all()
        if is_staff(current_user)
        else lead_choices(current_user)
    )
    form.lead.choices = choices((n.id, n.name) for n in leads)
    form.themes.choices = _theme_choices()
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
            themes=_themes(form.themes.data),
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
    return _render_show(position_or_404(position_id))


def _render_show(position: Position, status: int = 200, **forms):
    """The position page; ``forms`` replaces a blank form by one that failed."""
    context = {"position": position, "revision": position.current_revision}
    section = request.args.get("section") or None
    known = {s["id"] for s in position.current_revision.sections}
    if section is not None and not re.fullmatch(r"s-[0-9a-f]{8}", section):
        abort(400, description=_("This section does not exist."))
    pagination, counts, amendment_counts = load_discussion(position, section)
    context.update(
        discussion=pagination,
        section_counts=counts,
        section_filter=section,
        known_sections=known,
        body_html=annotate_sections(
            position.current_revision.body_html,
            counts,
            amendment_counts,
            position.id,
            provenance_of(position.current_revision),
        ),
    )
    if can_comment(current_user, position):
        context["comment_form"] = forms.get("comment_form") or comment_form(position)
    if can_open_consultation(current_user, position):
        context["consultation_form"] = (
            forms.get("consultation_form") or OpenConsultationForm()
        )
    if can_manage_consultation(current_user, position):
        context["extend_form"] = forms.get("extend_form") or ExtendConsultationForm()
    if can_open_vote(current_user, position):
        context["vote_form"] = forms.get("vote_form") or OpenVoteForm()
    if can_consolidate(current_user, position):
        context["pending"] = pending_amendments(position)
        context["text_motion"] = text_motion(position)
    if can_manage_coauthors(current_user, position):
        context["coauthor_form"] = forms.get("coauthor_form") or _coauthor_form(
            position
        )
    if can_edit_position(current_user, position):
        details = forms.get("details_form") or DetailsForm(
            themes=[t.id for t in position.themes],
            arenas=[a.value for a in position.arenas],
        )
        details.themes.choices = _theme_choices()
        context["details_form"] = details
    if can_withdraw_position(current_user, position):
        context["withdraw_form"] = forms.get("withdraw_form") or WithdrawForm()
    return render_template("positions/show.html", **context), status


def comment_form(position: Position, formdata=None) -> CommentForm:
    """The comment form, its section and network choices filled in."""
    form = CommentForm(formdata=formdata) if formdata is not None else CommentForm()
    sections = position.current_revision.sections if position.current_revision else []
    form.section.choices = choices(
        [("", _("The whole text"))]
        + [(s["id"], Section(id=s["id"], text=s["text"]).title) for s in sections]
    )
    networks = speaking_networks(current_user)
    form.network.choices = choices((n.id, n.name) for n in networks)
    return form


def load_discussion(position: Position, section: str | None):
    """One page of top-level comments with their replies, and counts per section."""
    visible = [Comment.amendment_id.is_(None)]  # comments on amendments live with them
    if not is_staff(current_user):
        visible.append(Comment.hidden_at.is_(None))
    stmt = (
        sa.select(Comment)
        .where(
            Comment.position_id == position.id, Comment.parent_id.is_(None), *visible
        )
        .options(
            selectinload(Comment.author),
            selectinload(Comment.network),
            selectinload(Comment.replies).selectinload(Comment.author),
            selectinload(Comment.replies).selectinload(Comment.network),
        )
        .order_by(Comment.id)
    )
    if section:
        stmt = stmt.where(Comment.section_id == section)
    pagination = paginate(stmt)
    counts = dict(
        db.session.execute(
            sa.select(Comment.section_id, sa.func.count())
            .where(
                Comment.position_id == position.id,
                Comment.deleted_at.is_(None),
                *visible,
            )
            .group_by(Comment.section_id)
        ).all()
    )
    amendments = dict(
        db.session.execute(
            sa.select(Amendment.section_id, sa.func.count())
            .where(
                Amendment.position_id == position.id,
                Amendment.status != AmendmentStatus.WITHDRAWN,
            )
            .group_by(Amendment.section_id)
        ).all()
    )
    return pagination, counts, amendments


_SECTION_TAG = re.compile(r'<section class="text-section" id="(s-[0-9a-f]{8})">')


def provenance_of(revision: Revision) -> dict[str, tuple[int, str]]:
    """For each section written by an amendment: its number and its network's name."""
    ids = {s["network"] for s in revision.sections if s.get("amendment")}
    names = (
        dict(
            db.session.execute(
                sa.select(Network.id, Network.name).where(Network.id.in_(ids))
            ).all()
        )
        if ids
        else {}
    )
    return {
        s["id"]: (s["amendment"], names.get(s["network"], "—"))
        for s in revision.sections
        if s.get("amendment")
    }


def annotate_sections(
    html: str, counts: dict, amendments: dict, position_id: int, provenance=None
) -> Markup:
    """Add, in the margin of each section, its comments and amendments, linking to them."""

    def margin(match: re.Match) -> str:
        section_id = match.group(1)
        link = url_for("positions.show", position_id=position_id, section=section_id)
        label = escape(
            ngettext("%(num)d comment", "%(num)d comments", counts.get(section_id, 0))
        )
        out = f'<a href="{link}#discussion">{label}</a>'
        if amendments.get(section_id):
            label = escape(
                ngettext(
                    "%(num)d amendment", "%(num)d amendments", amendments[section_id]
                )
            )
            target = url_for("positions.amendments", position_id=position_id)
            out += f' · <a href="{target}#{section_id}">{label}</a>'
        if provenance and section_id in provenance:
            number, network = provenance[section_id]
            note = escape(
                _(
                    "Proposed by %(network)s (amendment %(number)d)",
                    network=network,
                    number=number,
                )
            )
            out = f'<span class="provenance">{note}</span> · ' + out
        return f'{match.group(0)}<p class="section-margin">{out}</p>'

    return Markup(_SECTION_TAG.sub(margin, html))  # noqa: S704 (stored safe HTML + our tags)


def run_dated_action(position: Position, form, form_key: str, action, success: str):
    """Run a step that takes a closing date (opening, extending): the page again on refusal.

    ``action`` receives the date as aware UTC and calls the service; returns None once
    the change is committed, or the response to send back.
    """
    if not form.validate_on_submit():
        return _render_show(position, 400, **{form_key: form})
    try:
        action(local_to_utc(form.closes_at.data))
    except ServiceError as exc:
        status = refuse_on_field(form.closes_at, exc)
        return _render_show(position_or_404(position.id), status, **{form_key: form})
    db.session.commit()
    flash(success, "success")
    return None


def _coauthor_form(
    position: Position, form: CoAuthorForm | None = None
) -> CoAuthorForm:
    form = form or CoAuthorForm()
    taken = position.author_network_ids
    rows = db.session.execute(
        sa.select(Network.id, Network.name)
        .where(Network.is_active.is_(True))
        .order_by(Network.name)
    ).all()
    form.network.choices = choices((r.id, r.name) for r in rows if r.id not in taken)
    return form


def _edit_form(position: Position, formdata=None, **data) -> EditForm:
    """The edit form, from the posted data or (``formdata`` None) from ``data``."""
    form = EditForm(formdata=formdata, **data)
    networks = writing_networks(current_user, position)
    form.network.choices = choices((n.id, n.name) for n in networks)
    return form


@bp.route("/<int:position_id>/edit", methods=["GET", "POST"])
def edit(position_id: int):
    """Edit the text; a save made meanwhile by someone else is merged, or shown as a conflict."""
    position = position_or_404(position_id)
    authorize(
        can_edit_position,
        position,
        conflict=_(
            "Only a draft can be edited: this position is %(state)s.",
            state=position.state.label,
        ),
    )
    current = position.current_revision
    if request.method == "GET":
        form = _edit_form(
            position,
            title=current.title,
            summary=current.summary,
            body=current.body,
            base_revision=current.id,
        )
        return render_template("positions/edit.html", form=form, position=position)
    form = _edit_form(position, formdata=request.form)
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
    networks = writing_networks(current_user, position)
    network = next((n for n in networks if n.id == form.network.data), None)
    if network is None and networks:
        network = networks[0]
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
        return _conflict_page(position, form, conflict), 409
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


def _conflict_page(position: Position, form: EditForm, conflict: service.EditConflict):
    """Nothing was saved: show both versions and an editable merge to resolve."""
    position = position_or_404(position.id)
    current = conflict.current
    resolve = _edit_form(
        position,
        title=conflict.merges["title"].text,
        summary=conflict.merges["summary"].text,
        body=conflict.merges["body"].text,
        message=form.message.data,
        base_revision=current.id,
        network=form.network.data,
    )
    return render_template(
        "positions/conflict.html",
        position=position,
        form=resolve,
        conflict=conflict,
        current=current,
    )


@bp.post("/preview")
@member_required
def preview():
    """The text rendered exactly as it will be shown (for the editor's preview)."""
    text = request.form.get("body", "")
    if len(text) > 200_000:
        return render_error(400, _("The text has at most 200,000 characters."))
    return render_template("positions/_preview.html", preview=render_markdown(text))


# --- History and comparison -------------------------------------------------------------


@bp.get("/<int:position_id>/history")
def history(position_id: int):
    """Every version: who wrote it, for which network, when, and why."""
    position = position_or_404(position_id)
    stmt = (
        sa.select(Revision)
        .where(Revision.position_id == position.id)
        .options(joinedload(Revision.author), joinedload(Revision.network))
        .order_by(Revision.number.desc())
    )
    pagination = paginate(stmt, per_page=HISTORY_PER_PAGE)
    return render_template(
        "positions/history.html", position=position, pagination=pagination
    )


@bp.get("/<int:position_id>/v<int:number>")
def revision(position_id: int, number: int):
    """One version as it was."""
    position = position_or_404(position_id)
    revision = _revision_or_404(position, number)
    return render_template(
        "positions/revision.html", position=position, revision=revision
    )


@bp.get("/<int:position_id>/compare")
def compare_view(position_id: int):
    """Two versions compared word by word, inline or side by side."""
    position = position_or_404(position_id)
    current = position.current_revision.number
    to_number = version_param("to", current)
    from_number = version_param("from", max(to_number - 1, 1))
    view = request.args.get("view", "inline")
    if view not in ("inline", "side"):
        abort(400, description=_("Choose the inline or the side-by-side display."))
    old = _revision_or_404(position, from_number)
    new = _revision_or_404(position, to_number)
    return render_template(
        "positions/compare.html",
        position=position,
        old=old,
        new=new,
        view=view,
        comparison=compare(old.body, new.body),
        title_diff=inline_diff(old.title, new.title),
        summary_diff=inline_diff(old.summary, new.summary),
        numbers=list(range(current, 0, -1)) if current <= 200 else None,
    )


@bp.post("/<int:position_id>/v<int:number>/restore")
def restore(position_id: int, number: int):
    """Bring an old version back (as a new version)."""
    position = position_or_404(position_id)
    if not can_edit_position(current_user, position):
        abort(403)
    old = _revision_or_404(position, number)
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


# --- Co-authors, details, withdrawal ----------------------------------------------------


@bp.post("/<int:position_id>/coauthors")
def coauthor_add(position_id: int):
    """Invite a network to co-write."""
    position = position_or_404(position_id)
    if not can_manage_coauthors(current_user, position):
        abort(403)
    form = _coauthor_form(position)
    asked = whole_number(request.form.get("network"))
    if asked in position.author_network_ids:
        taken = db.session.get(Network, asked)
        form.network.errors = [
            _("%(network)s already writes this position.", network=taken.name)
        ]
        return _render_show(position, 409, coauthor_form=form)
    if not form.validate_on_submit():
        return _render_show(position, 400, coauthor_form=form)
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
    if not can_manage_coauthors(current_user, position):
        abort(403)
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
    if not can_edit_position(current_user, position):
        abort(403)
    form = DetailsForm()
    form.themes.choices = _theme_choices()
    if not form.validate_on_submit():
        return _render_show(position, 400, details_form=form)
    service.update_details(
        position,
        themes=_themes(form.themes.data),
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
    if not can_withdraw_position(current_user, position):
        if not position.state.is_open:
            return render_error(409, _("This position can no longer be withdrawn."))
        abort(403)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_show(position, 400, withdraw_form=form)
    service.withdraw_position(position, reason=form.reason.data, by=current_user)
    db.session.commit()
    flash(_("The position was withdrawn."), "success")
    return redirect(url_for("positions.show", position_id=position.id))
