"""Reads of published statements and of the networks behind them."""

from datetime import UTC, datetime

import sqlalchemy as sa

from advocacy import search
from advocacy.extensions import db
from advocacy.models import Network, Statement, Theme
from advocacy.models.statements import (
    statement_arenas,
    statement_networks,
    statement_themes,
)
from advocacy.parsing import whole_number
from advocacy.web import contains


def themes_in_order() -> list[Theme]:
    return db.session.scalars(
        sa.select(Theme).order_by(Theme.sort_order, Theme.id)
    ).all()


def authoring_networks() -> list[tuple[str, str]]:
    """(slug, name) of the networks that led or co-wrote a published statement."""
    return [
        (row.slug, row.name)
        for row in db.session.execute(
            sa.select(Network.slug, Network.name)
            .where(Network.id.in_(sa.select(statement_networks.c.network_id)))
            .order_by(Network.name)
        )
    ]


def publication_years() -> list[int]:
    """The years in which statements were published, the latest first."""
    years = db.session.scalars(
        sa.select(sa.extract("year", Statement.published_at))
        .where(Statement.current_version_id.is_not(None))
        .distinct()
    ).all()
    return sorted((int(y) for y in years), reverse=True)


def filtered_statements(form) -> sa.Select:
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
