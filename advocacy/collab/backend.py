"""What the collaboration server asks of the database, each call in its own app
context and transaction (run in a worker thread, off the event loop)."""

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.models import LiveDocument, Position, User
from advocacy.permissions import can_edit_position, writing_networks
from advocacy.services import ServiceError, live
from advocacy.services.lifecycle import WRITING
from advocacy.services.positions import cut_live_revision

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Writer:
    """A person let into a room: who, for which network (none for staff)."""

    person_id: int
    network_id: int | None
    name: str
    network_name: str


@dataclass(frozen=True)
class RoomNews:
    """What a room learns at each poll: updates stored by other processes, and
    whether the text may still be written."""

    #: (id, update, typed by a person) after the last one the room applied
    updates: list[tuple[int, bytes, bool]]
    writable: bool
    state: str


class Refused(Exception):
    """The person may not write this position (any more)."""


class Backend:
    """The database side of the rooms."""

    def __init__(self, app: Flask):
        self.app = app

    def _writer(self, person_id: int, position: Position | None) -> Writer:
        person = db.session.get(User, person_id)
        if (
            position is None
            or person is None
            or not can_edit_position(person, position)
        ):
            raise Refused
        networks = writing_networks(person, position)
        network = networks[0] if networks else None
        return Writer(
            person.id,
            network.id if network else None,
            person.display_name,
            network.name if network else "",
        )

    def join(self, person_id: int, position_id: int) -> Writer:
        """Let a person in (making the live document on first use), or refuse."""
        with self.app.app_context():
            position = db.session.get(Position, position_id)
            writer = self._writer(person_id, position)
            live.ensure_document(position)
            db.session.commit()
            return writer

    def store(
        self, position_id: int, writes: list[tuple[int, bytes]]
    ) -> list[int | None]:
        """Check that each writer may still write, then store their updates, all in
        one transaction: each update's id, or None where its writer was refused."""
        with self.app.app_context():
            position = db.session.get(Position, position_id)
            writers: dict[int, Writer | None] = {}
            for person_id in dict.fromkeys(person for person, _update in writes):
                try:
                    writers[person_id] = self._writer(person_id, position)
                except Refused:
                    writers[person_id] = None
            rows = [
                live.new_update(
                    position_id,
                    update,
                    author_id=writers[person].person_id,
                    network_id=writers[person].network_id,
                )
                if writers[person]
                else None
                for person, update in writes
            ]
            db.session.flush()
            ids = [row.id if row else None for row in rows]
            db.session.commit()
            return ids

    def poll(self, position_id: int, after: int) -> RoomNews:
        """Updates stored after ``after``, and the position's state."""
        with self.app.app_context():
            state = db.session.scalar(
                sa.select(Position.state).where(Position.id == position_id)
            )
            updates = live.news(position_id, after)
            db.session.rollback()
        return RoomNews(updates, state in WRITING, state.value if state else "deleted")

    def cut(self, position_id: int) -> int | None:
        """Save a version of the live text (after a pause); its number, if one was made."""
        with self.app.app_context():
            position = db.session.get(Position, position_id)
            if position is None or db.session.get(LiveDocument, position_id) is None:
                return None
            try:
                revision = cut_live_revision(
                    position,
                    by=None,
                    network=None,
                    message=_("Saved after a pause in the writing"),
                )
            except ServiceError as exc:
                db.session.rollback()
                logger.info("No version cut for position %s: %s", position_id, exc)
                return None
            db.session.commit()
            return revision.number if revision else None
