"""Published statements: the list, each statement and its versions, co-signatures."""

from urllib.parse import quote

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from advocacy.blueprints.common import statement_filter_form, statement_or_404
from advocacy.blueprints.public import bp
from advocacy.blueprints.public.forms import FollowUpForm
from advocacy.diffing import compare, inline_diff, rendered_diff
from advocacy.extensions import db
from advocacy.models import (
    Department,
    EssFamily,
    Statement,
    StatementVersion,
)
from advocacy.parsing import whole_number
from advocacy.permissions import is_admin, signing_networks
from advocacy.queries import statements as queries
from advocacy.services import documents
from advocacy.services import statements as service
from advocacy.storage import storage
from advocacy.web import paginate, version_param


@bp.get("/statements/")
def statements():
    """Every published statement, newest first, filtered by theme, arena, network, year."""
    form = statement_filter_form()
    if not form.validate():
        return render_template(
            "public/statements.html", filters=form, pagination=None
        ), 400
    stmt = queries.filtered_statements(form).options(joinedload(Statement.lead_network))
    return render_template(
        "public/statements.html", filters=form, pagination=paginate(stmt)
    )


def _version_or_404(statement: Statement, number: int) -> StatementVersion:
    version = queries.version(statement, number)
    if version is None:
        abort(
            404,
            description=_("This statement has no version %(number)d.", number=number),
        )
    return version


def _render(
    statement: Statement,
    version: StatementVersion,
    follow_up_form=None,
    status: int = 200,
):
    signatures = queries.signatures_of(statement)
    versions = queries.version_dates(statement)
    follow_ups = queries.follow_ups_of(statement)
    mine = signing_networks(current_user)
    signed = {s.network_id for s in signatures}
    response = make_response(
        render_template(
            "public/statement.html",
            statement=statement,
            version=version,
            versions=versions,
            signatures=signatures,
            can_sign_for=[n for n in mine if n.id not in signed],
            can_unsign_for=[n for n in mine if n.id in signed],
            families=list(EssFamily),
            departments=list(Department),
            follow_ups=follow_ups,
            follow_up_form=follow_up_form
            or (FollowUpForm() if is_admin(current_user) else None),
        ),
        status,
    )
    # the page changes with its version, its signatures and its follow-ups
    response.last_modified = max(
        [version.published_at]
        + [s.created_at for s in signatures]
        + [f.created_at for f in follow_ups]
    )
    return response


@bp.get("/statements/<slug:slug>")
def statement(slug: str):
    """The current version of a statement."""
    statement = statement_or_404(slug)
    return _render(statement, statement.current_version)


@bp.get("/statements/<slug:slug>/v<int:number>")
def statement_version(slug: str, number: int):
    """An earlier (or the current) version, as it was published."""
    statement = statement_or_404(slug)
    return _render(statement, _version_or_404(statement, number))


@bp.get("/statements/<slug:slug>/v<int:number>/annexes/<int:index>")
def statement_annex(slug: str, number: int, index: int):
    """An annex as it was published with this version (never changes: kept long)."""
    statement = statement_or_404(slug)
    version = _version_or_404(statement, number)
    if not 1 <= index <= len(version.annexes):
        abort(404, description=_("This version has no such annex."))
    annex = version.annexes[index - 1]
    data = storage().get(annex["sha256"])
    if data is None:
        abort(404, description=_("This file's content is missing."))
    response = current_app.response_class(data, mimetype=annex["mime"])
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(annex['filename'])}"
    )
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/statements/<slug:slug>.pdf", defaults={"number": None})
@bp.get("/statements/<slug:slug>/v<int:number>.pdf")
def statement_pdf(slug: str, number: int | None):
    """A version (the current one by default) as a PDF: letterhead, text, signatories, date."""
    statement = statement_or_404(slug)
    version = (
        statement.current_version
        if number is None
        else _version_or_404(statement, number)
    )
    made = documents.statement_pdf(statement, version)
    try:
        db.session.commit()  # kept for the next readers
    except sa.exc.IntegrityError:  # another request kept it first
        db.session.rollback()
    response = current_app.response_class(made, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{statement.slug}-v{version.number}.pdf"'
    )
    return response


@bp.get("/statements/<slug:slug>/compare")
def compare_versions(slug: str):
    """What changed between two published versions (the last two by default)."""
    statement = statement_or_404(slug)
    current = statement.current_version.number
    new = _version_or_404(statement, version_param("to", current))
    old = _version_or_404(statement, version_param("from", max(new.number - 1, 1)))
    sources = queries.revisions_by_id([old.revision_id, new.revision_id])
    return render_template(
        "public/compare.html",
        statement=statement,
        old=old,
        new=new,
        numbers=list(range(current, 0, -1)),
        comparison=compare(
            sources[old.revision_id].body, sources[new.revision_id].body
        ),
        rendered=rendered_diff(old.body_html, new.body_html),
        title_diff=inline_diff(old.title, new.title),
        summary_diff=inline_diff(old.summary, new.summary),
    )


def _network_of_form():
    networks = {n.id: n for n in signing_networks(current_user)}
    if not current_user.is_authenticated:
        abort(403)
    chosen = networks.get(whole_number(request.form.get("network")))
    if chosen is None:
        abort(400, description=_("Choose one of the networks you represent."))
    return chosen


@bp.post("/statements/<slug:slug>/sign")
def sign(slug: str):
    """Co-sign the statement for one of my networks."""
    statement = statement_or_404(slug)
    network = _network_of_form()
    service.sign_statement(statement, network=network, by=current_user)
    db.session.commit()
    flash(
        _("%(network)s now co-signs this statement.", network=network.name), "success"
    )
    return redirect(url_for("public.statement", slug=slug) + "#signatories")


@bp.post("/statements/<slug:slug>/unsign")
def unsign(slug: str):
    """Withdraw my network's co-signature."""
    statement = statement_or_404(slug)
    network = _network_of_form()
    service.unsign_statement(statement, network=network, by=current_user)
    db.session.commit()
    flash(
        _("%(network)s no longer co-signs this statement.", network=network.name),
        "success",
    )
    return redirect(url_for("public.statement", slug=slug) + "#signatories")


@bp.post("/statements/<slug:slug>/follow-ups")
def follow_up(slug: str):
    """Staff record what became of the statement."""
    statement = statement_or_404(slug)
    if not is_admin(current_user):
        abort(403)
    form = FollowUpForm()
    if not form.validate_on_submit():
        return _render(statement, statement.current_version, form, 400)
    service.record_follow_up(
        statement,
        happened_on=form.happened_on.data,
        kind=form.kind.data,
        text=form.text.data,
        link=form.link.data or "",
        by=current_user,
    )
    db.session.commit()
    flash(_("The follow-up was recorded."), "success")
    return redirect(url_for("public.statement", slug=slug) + "#follow-ups")
