"""Demo data for ``flask seed-demo``: themes, networks and people, positions at every
step of their lifecycle, and two years of published statements.

Safe to run again: what exists is kept. The texts are French Markdown files in
``texts/``; positions are taken through their steps by ``walk``, the helper the
tests use.
"""

import sqlalchemy as sa

from advocacy.demo.drafts import seed_positions
from advocacy.demo.history import quiet_demo_history
from advocacy.demo.live import seed_live_steps
from advocacy.demo.people import DEMO_DOMAIN, NETWORKS, STAFF_EMAIL, THEMES, seed_people
from advocacy.demo.publications import seed_publications
from advocacy.extensions import db
from advocacy.models import Network, Position, Theme, User

__all__ = ["DEMO_DOMAIN", "NETWORKS", "STAFF_EMAIL", "THEMES", "counts", "seed"]


def seed(password: str) -> dict[str, list[tuple[str, str]]]:
    """Load (or complete) the demo; returns the accounts to show, by role. Flushes."""
    shown = seed_people(password)
    seed_positions()
    seed_live_steps()
    seed_publications()
    quiet_demo_history()
    return shown


def counts() -> dict[str, int]:
    """How many networks, people, themes and positions there are."""

    def total(model) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return {
        "networks": total(Network),
        "people": total(User),
        "themes": total(Theme),
        "positions": total(Position),
    }
