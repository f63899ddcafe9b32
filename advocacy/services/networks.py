"""Staff manage member networks and themes."""

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from slugify import slugify

from advocacy.extensions import db
from advocacy.models import Network, Theme, User
from advocacy.services import ServiceError
from advocacy.services.audit import changes, record_event

NETWORK_FIELDS = ("name", "kind", "family", "department", "description", "website")
THEME_FIELDS = ("name_fr", "name_en", "description_fr", "description_en", "sort_order")


def unique_slug(
    model, text: str, *, exclude_id: int | None = None, max_length: int = 80
) -> str:
    """A slug made from ``text`` that no other row of ``model`` uses."""
    base = slugify(text, max_length=max_length - 4) or "item"
    taken = set(
        db.session.scalars(
            sa.select(model.slug).where(
                model.slug.like(f"{base}%"), model.id != (exclude_id or 0)
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_network(
    data: dict[str, Any], *, by: User | None, is_demo: bool = False
) -> Network:
    """Add a member network."""
    slug = data.get("slug") or unique_slug(Network, data["name"])
    if db.session.scalar(sa.select(Network.id).filter_by(slug=slug)) is not None:
        raise ServiceError(
            _("The address %(slug)s is already taken.", slug=slug), status=400
        )
    network = Network(
        slug=slug, is_demo=is_demo, **{k: data[k] for k in NETWORK_FIELDS}
    )
    db.session.add(network)
    db.session.flush()
    record_event(
        "network.create",
        by=by,
        object_type="network",
        object_id=network.id,
        name=network.name,
        slug=slug,
    )
    return network


def update_network(network: Network, data: dict[str, Any], *, by: User) -> None:
    """Change a network's details."""
    diff = changes(network, {k: data[k] for k in NETWORK_FIELDS})
    if diff:
        record_event(
            "network.update", by=by, object_type="network", object_id=network.id, **diff
        )
    db.session.flush()


def set_network_active(network: Network, active: bool, *, by: User) -> None:
    """Deactivate or reactivate a network (its history stays)."""
    if network.is_active == active:
        return
    network.is_active = active
    record_event(
        "network.reactivate" if active else "network.deactivate",
        by=by,
        object_type="network",
        object_id=network.id,
        is_active=[not active, active],
    )
    db.session.flush()


def create_theme(data: dict[str, Any], *, by: User | None) -> Theme:
    """Add a theme of advocacy."""
    slug = data.get("slug") or unique_slug(Theme, data["name_fr"])
    if db.session.scalar(sa.select(Theme.id).filter_by(slug=slug)) is not None:
        raise ServiceError(
            _("The address %(slug)s is already taken.", slug=slug), status=400
        )
    theme = Theme(slug=slug, **{k: data[k] for k in THEME_FIELDS if k in data})
    db.session.add(theme)
    db.session.flush()
    record_event(
        "theme.create", by=by, object_type="theme", object_id=theme.id, slug=slug
    )
    return theme


def update_theme(theme: Theme, data: dict[str, Any], *, by: User) -> None:
    """Change a theme's names, description, order or availability."""
    diff = changes(
        theme, {k: data[k] for k in (*THEME_FIELDS, "is_active") if k in data}
    )
    if diff:
        record_event(
            "theme.update", by=by, object_type="theme", object_id=theme.id, **diff
        )
    db.session.flush()
