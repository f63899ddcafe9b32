"""Reads of networks and themes: the choices forms offer, names by id."""

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import Network, Theme


def active_names() -> list[tuple[int, str]]:
    """(id, name) of the active networks, by name: the choices of network lists."""
    return [
        (row.id, row.name)
        for row in db.session.execute(
            sa.select(Network.id, Network.name)
            .where(Network.is_active.is_(True))
            .order_by(Network.name)
        )
    ]


def active() -> list[Network]:
    """The active networks, by name."""
    return db.session.scalars(
        sa.select(Network).where(Network.is_active.is_(True)).order_by(Network.name)
    ).all()


def names_of(ids) -> dict[int, str]:
    """The names of these networks, by id."""
    ids = set(ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Network.id, Network.name).where(Network.id.in_(ids))
        ).all()
    )


def offered_themes() -> list:
    """(id, name_fr, name_en) of the themes offered for new positions, in order."""
    return db.session.execute(
        sa.select(Theme.id, Theme.name_fr, Theme.name_en)
        .where(Theme.is_active.is_(True))
        .order_by(Theme.sort_order, Theme.id)
    ).all()


def themes_by_ids(ids) -> list[Theme]:
    ids = list(ids)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Theme).where(Theme.id.in_(ids))))
