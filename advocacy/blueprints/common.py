"""Web helpers that several blueprints share: loaders and request hooks.

A blueprint takes what it shares with another from here, never from the other's
modules.
"""

import logging
import time

import sqlalchemy as sa
from flask import abort, current_app
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from advocacy.extensions import db
from advocacy.models import CoAuthor, Position, Revision
from advocacy.permissions import can_view_position
from advocacy.services import statements as statements_service

logger = logging.getLogger(__name__)


def position_or_404(position_id: int) -> Position:
    """The position, with what its pages show; 404 to anyone who may not see it."""
    position = db.session.scalar(
        sa.select(Position)
        .where(Position.id == position_id)
        .options(
            joinedload(Position.lead_network),
            joinedload(Position.current_revision).joinedload(Revision.author),
            joinedload(Position.current_revision).joinedload(Revision.network),
            selectinload(Position.coauthors).joinedload(CoAuthor.network),
            selectinload(Position.themes),
            selectinload(Position.arena_rows),
        )
    )
    if position is None or not can_view_position(current_user, position):
        abort(404)
    return position


def release_due_publications():
    """Publish what was scheduled for now, when the public comes to read it.

    A ``before_request`` hook of the public pages and the API. At most once per
    ``PUBLICATION_CHECK_SECONDS`` in each process, and never in the reader's way:
    a failure is logged and the page served as it is. The ``flask statements
    release`` command does the same from cron.
    """
    state = current_app.extensions.setdefault("porte_voix_release", {"next": 0.0})
    if time.monotonic() < state["next"]:
        return
    state["next"] = time.monotonic() + current_app.config["PUBLICATION_CHECK_SECONDS"]
    try:
        if statements_service.release_due_publications():
            db.session.commit()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        logger.exception("Releasing the scheduled publications failed")
