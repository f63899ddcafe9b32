"""Reads behind the public indicators: what is published, who takes part, how long it takes."""

import statistics
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.models import (
    Amendment,
    Arena,
    Ballot,
    CoAuthor,
    Comment,
    Department,
    EssFamily,
    Network,
    Position,
    Signature,
    Statement,
    StatementVersion,
    Theme,
)
from advocacy.models.site import SiteState
from advocacy.models.statements import statement_arenas, statement_themes


@dataclass
class Dataset:
    """One indicator: rows of (label, value), drawn as a chart and given as CSV."""

    name: str
    title: str
    label: str
    value: str
    rows: list[tuple[str, float]]

    @property
    def largest(self) -> float:
        return max((v for _label, v in self.rows), default=0)


def _published():
    return Statement.current_version_id.is_not(None)


def _by_theme() -> Dataset:
    counts = dict(
        db.session.execute(
            sa.select(statement_themes.c.theme_id, sa.func.count())
            .join(Statement, Statement.id == statement_themes.c.statement_id)
            .where(_published())
            .group_by(statement_themes.c.theme_id)
        ).all()
    )
    themes = db.session.scalars(sa.select(Theme).order_by(Theme.sort_order, Theme.id))
    return Dataset(
        "themes",
        _("Statements by theme"),
        _("Theme"),
        _("Statements"),
        [(t.name, counts.get(t.id, 0)) for t in themes],
    )


def _by_arena() -> Dataset:
    counts = dict(
        db.session.execute(
            sa.select(statement_arenas.c.arena, sa.func.count()).group_by(
                statement_arenas.c.arena
            )
        ).all()
    )
    return Dataset(
        "arenas",
        _("Statements by arena"),
        _("Arena"),
        _("Statements"),
        [(str(a.label), counts.get(a.value, 0)) for a in Arena],
    )


def _first_publications():
    """Each statement's first publication, with the start of its position."""
    return db.session.execute(
        sa.select(StatementVersion.published_at, Position.created_at)
        .join(Statement, Statement.id == StatementVersion.statement_id)
        .join(Position, Position.id == Statement.position_id)
        .where(StatementVersion.number == 1, _published())
    ).all()


def _by_year(firsts) -> Dataset:
    years: dict[int, int] = {}
    for published, _started in firsts:
        years[published.year] = years.get(published.year, 0) + 1
    return Dataset(
        "years",
        _("Statements by year of first publication"),
        _("Year"),
        _("Statements"),
        [(str(y), years[y]) for y in sorted(years)],
    )


def _delays(firsts) -> Dataset:
    by_year: dict[int, list[float]] = {}
    for published, started in firsts:
        days = (published - started).total_seconds() / 86400
        by_year.setdefault(published.year, []).append(days)
    return Dataset(
        "delays",
        _("Median time from first draft to publication, by year"),
        _("Year"),
        _("Days (median)"),
        [(str(y), round(statistics.median(by_year[y]), 1)) for y in sorted(by_year)],
    )


def _participants():
    """Networks that took part: wrote, commented, amended, voted or co-signed."""
    ids = sa.union(
        sa.select(Position.lead_network_id),
        sa.select(CoAuthor.network_id),
        sa.select(Comment.network_id).where(Comment.network_id.is_not(None)),
        sa.select(Amendment.network_id),
        sa.select(Ballot.network_id),
        sa.select(Signature.network_id),
    ).subquery()
    return db.session.execute(
        sa.select(Network.family, Network.department, sa.func.count())
        .where(Network.id.in_(sa.select(ids.c[0])))
        .group_by(Network.family, Network.department)
    ).all()


def _participants_by(rows, column: int, name, title, label, members) -> Dataset:
    """Networks taking part, summed by one column of ``_participants`` rows."""
    counts: dict = {}
    for row in rows:
        counts[row[column]] = counts.get(row[column], 0) + row[2]
    return Dataset(
        name,
        title,
        label,
        _("Networks"),
        [(str(m.label), counts.get(m, 0)) for m in members],
    )


def indicators() -> dict[str, Dataset]:
    """Every indicator, by name (five queries, whatever the amount of data)."""
    firsts = _first_publications()
    participants = _participants()
    made = [
        _by_theme(),
        _by_arena(),
        _by_year(firsts),
        _participants_by(
            participants,
            0,
            "families",
            _("Networks taking part, by ESS family"),
            _("ESS family"),
            EssFamily,
        ),
        _participants_by(
            participants,
            1,
            "departments",
            _("Networks taking part, by département"),
            _("Département"),
            Department,
        ),
        _delays(firsts),
    ]
    return {d.name: d for d in made}


def published_count() -> int:
    """How many statements are published."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Statement).where(_published())
    )


def generation() -> int:
    """The site's generation: it grows with every transaction that writes
    (models/site.py). Figures of the whole site are remembered under it."""
    return db.session.scalar(sa.select(SiteState.generation).where(SiteState.id == 1))
