"""Reads of networks and themes: the choices forms offer, names by id."""

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import Invitation, Network, Theme, User, utcnow
from advocacy.web import contains


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


def family_counts() -> dict:
    """How many active networks each ESS family has."""
    return dict(
        db.session.execute(
            sa.select(Network.family, sa.func.count())
            .where(Network.is_active.is_(True))
            .group_by(Network.family)
        ).all()
    )


def active_themes() -> list[Theme]:
    """The themes offered today, in order."""
    return db.session.scalars(
        sa.select(Theme).filter_by(is_active=True).order_by(Theme.sort_order, Theme.id)
    ).all()


def filtered(form, *, active: bool | None = True) -> sa.Select:
    """The networks a (validated) directory form keeps, by name.

    ``active`` keeps only active networks (True), only closed ones (False), or
    both (None).
    """
    stmt = sa.select(Network).order_by(Network.name, Network.id)
    if form.q.data:
        stmt = stmt.where(contains(Network.name, form.q.data))
    for name in ("family", "department", "kind"):
        value = getattr(form, name).data
        if value is not None:
            stmt = stmt.where(getattr(Network, name) == value)
    if active is not None:
        stmt = stmt.where(Network.is_active.is_(active))
    return stmt


def all_themes() -> list[Theme]:
    """Every theme, offered or not, in order."""
    return db.session.scalars(
        sa.select(Theme).order_by(Theme.sort_order, Theme.id)
    ).all()


def by_slug(slug: str) -> Network | None:
    return db.session.scalar(sa.select(Network).filter_by(slug=slug))


def dashboard_counts() -> dict[str, int]:
    """Active networks, active people and pending invitations: the staff dashboard."""
    return {
        "networks": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Network)
            .where(Network.is_active.is_(True))
        ),
        "people": db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.is_active.is_(True))
        ),
        "invitations": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .where(*pending_invitation())
        ),
    }


def pending_invitation() -> tuple:
    """The clauses of an invitation still waiting for an answer."""
    return (
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )


def all_names() -> list:
    """(id, name) of every network, closed ones too, by name."""
    return db.session.execute(
        sa.select(Network.id, Network.name).order_by(Network.name)
    ).all()
