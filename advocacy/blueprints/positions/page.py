"""The position's page and what several of its views share: loaders, forms, rendering."""

import re

from flask import abort, flash, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from advocacy import fragments
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
    WithdrawForm,
)
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.i18n import local_to_utc
from advocacy.models import (
    Position,
    Revision,
    Theme,
)
from advocacy.permissions import (
    authorize,
    can_comment,
    can_consolidate,
    can_edit_position,
    can_manage_coauthors,
    can_manage_consultation,
    can_open_consultation,
    can_open_vote,
    can_withdraw_position,
    is_admin,
    is_member,
    speaking_networks,
    writing_networks,
)
from advocacy.queries import discussion
from advocacy.queries import networks as network_queries
from advocacy.queries import positions as position_queries
from advocacy.sections import Section
from advocacy.services import ServiceError
from advocacy.services.consolidation import pending_amendments, text_motion
from advocacy.web import (
    counted_page,
    refuse_on_field,
)


@bp.app_template_filter("section_title")
def section_title(text: str) -> str:
    """A section's heading, or the start of its first block."""
    return Section(id="", text=text).title


# --- Loading -----------------------------------------------------------------------


def revision_or_404(position: Position, number: int) -> Revision:
    revision = position_queries.revision(position, number)
    if revision is None:
        abort(
            404,
            description=_("This position has no version %(number)d.", number=number),
        )
    return revision


def theme_choices():
    rows = network_queries.offered_themes()
    english = str(get_locale()) == "en"
    return choices((r.id, r.name_en if english else r.name_fr) for r in rows)


def themes(ids: list[int]) -> list[Theme]:
    return network_queries.themes_by_ids(ids)


def render_show(position: Position, status: int = 200, **forms):
    """The position page; ``forms`` replaces a blank form by one that failed."""
    context = {"position": position, "revision": position.current_revision}
    section = request.args.get("section") or None
    known = {s["id"] for s in position.current_revision.sections}
    if section is not None and not re.fullmatch(r"s-[0-9a-f]{8}", section):
        abort(400, description=_("This section does not exist."))
    pagination, threads, counts, amendment_counts = load_discussion(
        position, section, known
    )
    context.update(
        discussion=pagination,
        threads=threads,
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
        context["coauthor_form"] = forms.get("coauthor_form") or coauthor_form(position)
    if can_edit_position(current_user, position):
        details = forms.get("details_form") or DetailsForm(
            themes=[t.id for t in position.themes],
            arenas=[a.value for a in position.arenas],
        )
        details.themes.choices = theme_choices()
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


def load_discussion(position: Position, section: str | None, known: set[str]):
    """One page of the discussion (its threads' HTML), and counts per section."""
    staff = is_admin(current_user)
    counts = discussion.comment_counts(position.id, with_hidden=staff)
    pagination = counted_page(
        discussion.top_comments(position.id, section=section, with_hidden=staff),
        counts.threads(section),
    )
    threads = rendered_threads(position, pagination.items, known)
    amendments = discussion.amendment_counts(position.id)
    return pagination, threads, counts.by_section, amendments


def rendered_threads(position: Position, top_ids: list[int], known: set[str]):
    """The HTML of these threads, kept between readers who may do the same there.

    A thread shows the same to every reader with the same roles here (staff sees
    hidden replies; members report and reply while comments are open), except to
    those who wrote in it (they edit and delete their own): their key names them.
    """
    user = current_user
    me = user.id if user.is_authenticated else 0
    open_ = position.discussion_is_open()
    viewer = (is_admin(user), is_member(user), can_comment(user, position))
    keys = {}
    for i, stamp in discussion.thread_stamps(top_ids, me).items():
        wrote_in_it = stamp[-1]  # the last value of a stamp
        keys[i] = fragments.key(
            "thread",
            i,
            position.current_revision_id,
            open_,
            *viewer,
            me if wrote_in_it else 0,
            stamp,
        )

    def render(missing: list[int]) -> dict[int, str]:
        return {
            c.id: render_template(
                "positions/_thread.html",
                c=c,
                position=position,
                known_sections=known,
                comment_form=viewer[2],
            )
            for c in discussion.threads(missing)
        }

    kept = fragments.kept(keys, render)
    return [kept[i] for i in top_ids if i in kept]


_SECTION_TAG = re.compile(r'<section class="text-section" id="(s-[0-9a-f]{8})">')


def provenance_of(revision: Revision) -> dict[str, tuple[int, str]]:
    """For each section written by an amendment: its number and its network's name."""
    ids = {s["network"] for s in revision.sections if s.get("amendment")}
    names = network_queries.names_of(ids)
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
        return render_show(position, 400, **{form_key: form})
    try:
        action(local_to_utc(form.closes_at.data))
    except ServiceError as exc:
        field = form[exc.field] if exc.field and exc.field in form else form.closes_at
        status = refuse_on_field(field, exc)
        return render_show(position_or_404(position.id), status, **{form_key: form})
    db.session.commit()
    flash(success, "success")
    return None


def coauthor_form(position: Position, form: CoAuthorForm | None = None) -> CoAuthorForm:
    form = form or CoAuthorForm()
    taken = position.author_network_ids
    form.network.choices = choices(
        (i, name) for i, name in network_queries.active_names() if i not in taken
    )
    return form


def edit_form(position: Position, formdata=None, **data) -> EditForm:
    """The edit form, from the posted data or (``formdata`` None) from ``data``."""
    form = EditForm(formdata=formdata, **data)
    networks = writing_networks(current_user, position)
    form.network.choices = choices((n.id, n.name) for n in networks)
    return form


def authorize_editing(position: Position) -> None:
    """Let the current person change the text, or answer 403, or 409 with the state."""
    authorize(
        can_edit_position,
        position,
        conflict=_(
            "Only a draft can be edited: this position is %(state)s.",
            state=position.state.label,
        ),
    )
