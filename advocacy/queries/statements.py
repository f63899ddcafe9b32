"""Reads of published statements and of the networks behind them."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from advocacy import search
from advocacy.extensions import db
from advocacy.models import (
    CoAuthor,
    FollowUp,
    Network,
    Position,
    Revision,
    SearchDocument,
    Signature,
    Statement,
    StatementVersion,
    Theme,
)
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
        hits = search.matching(search.parse(form.q.data))
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
    if form.network.data:  # a slug, or part of a name
        text = form.network.data
        stmt = stmt.where(
            Statement.id.in_(
                authored.where(
                    sa.or_(Network.slug == text, contains(Network.name, text))
                )
            )
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


def signatures_of(statement: Statement) -> list[Signature]:
    """The co-signatures of a statement, in the order they were given, with networks."""
    return db.session.scalars(
        sa.select(Signature)
        .where(Signature.statement_id == statement.id)
        .options(selectinload(Signature.network))
        .order_by(Signature.created_at, Signature.id)
    ).all()


def signature_counts(statement_ids) -> dict[int, int]:
    """How many co-signatures each of these statements has, by id (absent: none)."""
    ids = list(statement_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Signature.statement_id, sa.func.count())
            .where(Signature.statement_id.in_(ids))
            .group_by(Signature.statement_id)
        ).all()
    )


def versions_of(statement: Statement) -> list[StatementVersion]:
    """Every published version of a statement, the latest first."""
    return db.session.scalars(
        sa.select(StatementVersion)
        .where(StatementVersion.statement_id == statement.id)
        .order_by(StatementVersion.number.desc())
    ).all()


def version_dates(statement: Statement) -> list:
    """(number, published_at) of each version, the latest first: the version list."""
    return db.session.execute(
        sa.select(StatementVersion.number, StatementVersion.published_at)
        .where(StatementVersion.statement_id == statement.id)
        .order_by(StatementVersion.number.desc())
    ).all()


def version(statement: Statement, number: int) -> StatementVersion | None:
    """Version ``number`` of a statement, if it was published."""
    return db.session.scalar(
        sa.select(StatementVersion).filter_by(statement_id=statement.id, number=number)
    )


def follow_ups_of(statement: Statement) -> list[FollowUp]:
    """What became of a statement, the latest first."""
    return db.session.scalars(
        sa.select(FollowUp)
        .where(FollowUp.statement_id == statement.id)
        .order_by(FollowUp.happened_on.desc(), FollowUp.id.desc())
    ).all()


def revisions_by_id(ids) -> dict[int, Revision]:
    """These revisions, by id."""
    return {
        r.id: r
        for r in db.session.scalars(sa.select(Revision).where(Revision.id.in_(ids)))
    }


def network_by_slug(slug: str, *, active_only: bool = False) -> Network | None:
    stmt = sa.select(Network).filter_by(slug=slug)
    if active_only:
        stmt = stmt.filter_by(is_active=True)
    return db.session.scalar(stmt)


def written_by(network: Network, *, limit: int | None = None) -> sa.Select:
    """The published statements a network led or co-wrote, the latest first."""
    stmt = (
        sa.select(Statement)
        .join(Position, Position.id == Statement.position_id)
        .where(
            Statement.current_version_id.is_not(None),
            sa.or_(
                Position.lead_network_id == network.id,
                Position.coauthors.any(CoAuthor.network_id == network.id),
            ),
        )
        .order_by(Statement.published_at.desc())
    )
    return stmt.limit(limit) if limit else stmt


def signed_by(network: Network, *, limit: int | None = None) -> sa.Select:
    """The published statements a network co-signed, the latest first."""
    stmt = (
        sa.select(Statement)
        .join(Signature, Signature.statement_id == Statement.id)
        .where(
            Signature.network_id == network.id,
            Statement.current_version_id.is_not(None),
        )
        .order_by(Statement.published_at.desc())
    )
    return stmt.limit(limit) if limit else stmt


def slugs(stmt: sa.Select) -> list[str]:
    """The slugs of the statements a query above keeps."""
    return db.session.scalars(stmt.with_only_columns(Statement.slug)).all()


def listed(stmt: sa.Select) -> list[Statement]:
    """The statements a query above keeps, with their lead network."""
    return db.session.scalars(stmt.options(joinedload(Statement.lead_network))).all()


def latest(limit: int) -> list[Statement]:
    """The latest published statements, with their lead network."""
    return db.session.scalars(
        sa.select(Statement)
        .where(Statement.current_version_id.is_not(None))
        .options(joinedload(Statement.lead_network))
        .order_by(Statement.published_at.desc())
        .limit(limit)
    ).all()


def arena_counts() -> dict[str, int]:
    """How many statements address each arena, by the arena's value."""
    return dict(
        db.session.execute(
            sa.select(statement_arenas.c.arena, sa.func.count()).group_by(
                statement_arenas.c.arena
            )
        ).all()
    )


def for_feed(limit: int, *, arena=None, theme: Theme | None = None) -> list[Statement]:
    """The latest statements of a feed, with their version and lead network."""
    stmt = (
        sa.select(Statement)
        .where(Statement.current_version_id.is_not(None))
        .options(
            joinedload(Statement.current_version), joinedload(Statement.lead_network)
        )
        .order_by(Statement.published_at.desc(), Statement.id.desc())
        .limit(limit)
    )
    if arena is not None:
        stmt = stmt.where(
            Statement.id.in_(
                sa.select(statement_arenas.c.statement_id).where(
                    statement_arenas.c.arena == arena.value
                )
            )
        )
    if theme is not None:
        stmt = stmt.where(
            Statement.id.in_(
                sa.select(statement_themes.c.statement_id).where(
                    statement_themes.c.theme_id == theme.id
                )
            )
        )
    return db.session.scalars(stmt).unique().all()


def theme_by_slug(slug: str) -> Theme | None:
    return db.session.scalar(sa.select(Theme).filter_by(slug=slug))


def search_hits(query) -> sa.Select:
    """The published statements matching a parsed question, best first."""
    hits = search.matches(query)
    return (
        sa.select(Statement)
        .join(hits, hits.c.statement_id == Statement.id)
        .where(Statement.current_version_id.is_not(None))
        .options(joinedload(Statement.lead_network))
        .order_by(hits.c.score.desc(), Statement.published_at.desc())
    )


def search_documents(statement_ids) -> dict[int, SearchDocument]:
    """The search documents of these statements, by statement id."""
    ids = list(statement_ids)
    if not ids:
        return {}
    return {
        d.statement_id: d
        for d in db.session.scalars(
            sa.select(SearchDocument).where(SearchDocument.statement_id.in_(ids))
        )
    }


def of_position(position: Position) -> Statement | None:
    """The statement a position became, published or waiting to be."""
    return db.session.scalar(sa.select(Statement).filter_by(position_id=position.id))


def published_at_slug(slug: str) -> Statement | None:
    """The statement at ``slug``, with its current version and lead network."""
    return db.session.scalar(
        sa.select(Statement)
        .filter_by(slug=slug)
        .options(
            joinedload(Statement.current_version), joinedload(Statement.lead_network)
        )
    )
