"""Lists and lookups shared by the public pages and the API: filters, 404s."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from advocacy import search
from advocacy.blueprints.public.forms import StatementFilterForm
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.models import Network, Statement, Theme
from advocacy.models.statements import (
    statement_arenas,
    statement_networks,
    statement_themes,
)
from advocacy.parsing import whole_number
from advocacy.web import contains


def statement_filter_form(formdata=None) -> StatementFilterForm:
    """The filters, read from the query string, with the choices the data allows."""
    form = StatementFilterForm(formdata if formdata is not None else request.args)
    all_ = [("", _("All"))]
    form.theme.choices = choices(
        all_
        + [
            (t.slug, t.name)
            for t in db.session.scalars(
                sa.select(Theme).order_by(Theme.sort_order, Theme.id)
            )
        ]
    )
    # the networks that led or co-wrote a published statement
    form.network.choices = choices(
        all_
        + [
            (row.slug, row.name)
            for row in db.session.execute(
                sa.select(Network.slug, Network.name)
                .where(Network.id.in_(sa.select(statement_networks.c.network_id)))
                .order_by(Network.name)
            )
        ]
    )
    years = db.session.scalars(
        sa.select(sa.extract("year", Statement.published_at))
        .where(Statement.current_version_id.is_not(None))
        .distinct()
    ).all()
    form.year.choices = choices(
        all_ + [(str(int(y)), str(int(y))) for y in sorted(years, reverse=True)]
    )
    return form


def filtered_statements(form: StatementFilterForm) -> sa.Select:
    """The published statements the (validated) filters keep, newest first."""
    stmt = (
        sa.select(Statement)
        .where(Statement.current_version_id.is_not(None))
        .order_by(Statement.published_at.desc(), Statement.id.desc())
    )
    if form.q.data:
        hits = search.matches(search.parse(form.q.data))
        stmt = stmt.where(Statement.id.in_(sa.select(hits.c.statement_id)))
    if form.theme.data:
        stmt = stmt.where(
            Statement.id.in_(
                sa.select(statement_themes.c.statement_id)
                .join(Theme)
                .where(Theme.slug == form.theme.data)
            )
        )
    if form.arena.data is not None:
        stmt = stmt.where(
            Statement.id.in_(
                sa.select(statement_arenas.c.statement_id).where(
                    statement_arenas.c.arena == form.arena.data.value
                )
            )
        )
    authored = sa.select(statement_networks.c.statement_id).join(
        Network, Network.id == statement_networks.c.network_id
    )
    if form.network.data:
        stmt = stmt.where(
            Statement.id.in_(authored.where(Network.slug == form.network.data))
        )
    if form.family.data is not None:
        stmt = stmt.where(
            Statement.id.in_(authored.where(Network.family == form.family.data))
        )
    if form.department.data is not None:
        stmt = stmt.where(
            Statement.id.in_(authored.where(Network.department == form.department.data))
        )
    year = whole_number(form.year.data, low=1900, high=9998)  # one of the choices
    if year:
        start = datetime(year, 1, 1, tzinfo=UTC)
        stmt = stmt.where(
            Statement.published_at >= start,
            Statement.published_at < start.replace(year=year + 1),
        )
    return stmt


def statement_or_404(slug: str) -> Statement:
    """The published statement at ``slug``, with its current version; 404 otherwise."""
    statement = db.session.scalar(
        sa.select(Statement)
        .filter_by(slug=slug)
        .options(
            joinedload(Statement.current_version), joinedload(Statement.lead_network)
        )
    )
    if statement is None or statement.current_version is None:
        abort(404, description=_("There is no published statement at this address."))
    return statement


def filtered_networks(form) -> sa.Select:
    """The active networks the (validated) directory filters keep, by name."""
    stmt = sa.select(Network).where(Network.is_active.is_(True)).order_by(Network.name)
    if form.q.data:
        stmt = stmt.where(contains(Network.name, form.q.data))
    for name in ("family", "department", "kind"):
        value = getattr(form, name).data
        if value is not None:
            stmt = stmt.where(getattr(Network, name) == value)
    return stmt
