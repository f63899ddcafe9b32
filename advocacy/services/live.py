"""The live text of a draft: a Yjs document (pycrdt) stored as the log of its updates.

The collaboration server (``advocacy/collab``) appends each update an editor
sends before passing it on; the app reads the document back from the log to cut
a revision, and writes into it when a revision is made another way (the plain
form, a restore), so that the people in the room see the saved text.
"""

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from diff_match_patch import diff_match_patch
from pycrdt import Doc, Text, merge_updates

from advocacy.extensions import db
from advocacy.models import LiveDocument, LiveUpdate, Position, Revision

logger = logging.getLogger(__name__)

#: The shared texts of a document, by name (the editor binds the same names).
FIELDS = ("title", "summary", "body")
#: An update that changes nothing (Yjs v1 encoding).
EMPTY_UPDATE = b"\x00\x00"


@dataclass
class LiveText:
    """The document read back from its log: its texts, and the last update read."""

    texts: dict[str, str]
    last_update_id: int


def new_doc() -> Doc:
    """A document with its shared texts in place."""
    doc = Doc()
    for name in FIELDS:
        doc[name] = Text()
    return doc


def texts_of(doc: Doc) -> dict[str, str]:
    """The document's texts, by field."""
    return {name: str(doc.get(name, type=Text)) for name in FIELDS}


def document_exists(position_id: int) -> bool:
    """Whether someone has opened the live text of this position yet."""
    return db.session.get(LiveDocument, position_id) is not None


def ensure_document(position: Position) -> None:
    """Make the live document from the current revision, once: two servers racing
    to make it cannot both seed it (the text would be there twice)."""
    if document_exists(position.id):
        return
    revision = position.current_revision
    doc = Doc()
    for name in FIELDS:
        doc[name] = Text(getattr(revision, name) if revision else "")
    try:
        with db.session.begin_nested():
            db.session.add(LiveDocument(position_id=position.id))
            db.session.flush()
            seed = LiveUpdate(position_id=position.id, data=doc.get_update())
            db.session.add(seed)
            db.session.flush()
            db.session.get(LiveDocument, position.id).cut_update_id = seed.id
    except sa.exc.IntegrityError:
        logger.info("Live document of position %s seeded elsewhere", position.id)


def updates(position_id: int, after: int = 0) -> list[tuple[int, bytes]]:
    """The stored updates of a document after ``after``, oldest first."""
    rows = db.session.execute(
        sa.select(LiveUpdate.id, LiveUpdate.data)
        .where(LiveUpdate.position_id == position_id, LiveUpdate.id > after)
        .order_by(LiveUpdate.id)
    ).all()
    return [(row.id, bytes(row.data)) for row in rows]


def news(position_id: int, after: int) -> list[tuple[int, bytes, bool]]:
    """The stored updates after ``after``, oldest first, each with whether a
    person typed it (else the platform wrote it, or folded it from others)."""
    rows = db.session.execute(
        sa.select(LiveUpdate.id, LiveUpdate.data, LiveUpdate.author_id)
        .where(LiveUpdate.position_id == position_id, LiveUpdate.id > after)
        .order_by(LiveUpdate.id)
    ).all()
    return [(row.id, bytes(row.data), row.author_id is not None) for row in rows]


def load(position_id: int, doc: Doc | None = None, after: int = 0) -> int:
    """Apply the stored updates after ``after`` to ``doc``; the last id applied."""
    doc = doc if doc is not None else new_doc()
    last = after
    for update_id, data in updates(position_id, after):
        doc.apply_update(data)
        last = update_id
    return last


def read(position_id: int) -> LiveText:
    """The live text as it is stored now."""
    doc = new_doc()
    last = load(position_id, doc)
    return LiveText(texts_of(doc), last)


def new_update(
    position_id: int, data: bytes, *, author_id: int | None, network_id: int | None
) -> LiveUpdate:
    """One more update in the log (added to the session, not flushed)."""
    row = LiveUpdate(
        position_id=position_id, data=data, author_id=author_id, network_id=network_id
    )
    db.session.add(row)
    return row


def append_update(
    position_id: int, data: bytes, *, author_id: int | None, network_id: int | None
) -> int:
    """Store one update (flushed, not committed); its id."""
    row = new_update(position_id, data, author_id=author_id, network_id=network_id)
    db.session.flush()
    return row.id


def _edit_towards(text: Text, target: str) -> None:
    """Change ``text`` into ``target`` by the fewest edits (what was not touched
    keeps its identity, so people's carets and concurrent typing survive).

    pycrdt counts positions in UTF-8 bytes, the diff in characters."""
    differ = diff_match_patch()
    differ.Diff_Timeout = 1.0
    offset = 0
    for op, chunk in differ.diff_main(str(text), target):
        size = len(chunk.encode())
        if op == differ.DIFF_EQUAL:
            offset += size
        elif op == differ.DIFF_DELETE:
            del text[offset : offset + size]
        else:
            text.insert(offset, chunk)
            offset += size


def follow_revision(position: Position, revision: Revision) -> None:
    """Bring the live text to a revision made without it (the plain form, a
    restore, an amendment): everyone in the room sees the saved text."""
    document = db.session.get(LiveDocument, position.id, with_for_update=True)
    if document is None:
        return
    doc = new_doc()
    last = load(position.id, doc)
    if texts_of(doc) != {name: getattr(revision, name) for name in FIELDS}:
        before = doc.get_state()
        with doc.transaction():
            for name in FIELDS:
                _edit_towards(doc.get(name, type=Text), getattr(revision, name))
        last = append_update(
            position.id, doc.get_update(before), author_id=None, network_id=None
        )
    document.cut_update_id = last
    compact(position.id, last)


def compact(position_id: int, upto: int) -> None:
    """Fold the updates up to ``upto`` (those a version already holds) into one, kept
    under the id of the last: what a room opening, or a version being cut, reads
    stays the size of the text plus what was typed since, not of its whole past.
    What follows keeps its ids and authors, for the next version's credits."""
    rows = updates_until(position_id, upto)
    if len(rows) < 2:
        return
    merged = merge_updates(*(data for _id, data in rows))
    db.session.execute(
        sa.delete(LiveUpdate).where(
            LiveUpdate.position_id == position_id, LiveUpdate.id < upto
        )
    )
    db.session.execute(
        sa.update(LiveUpdate)
        .where(LiveUpdate.id == upto)
        .values(data=merged, author_id=None, network_id=None)
    )


def updates_until(position_id: int, upto: int) -> list[tuple[int, bytes]]:
    """The stored updates of a document up to ``upto``, oldest first."""
    rows = db.session.execute(
        sa.select(LiveUpdate.id, LiveUpdate.data)
        .where(LiveUpdate.position_id == position_id, LiveUpdate.id <= upto)
        .order_by(LiveUpdate.id)
    ).all()
    return [(row.id, bytes(row.data)) for row in rows]


def contributors(
    position_id: int, after: int, until: int
) -> list[tuple[int, int | None]]:
    """Who typed between two updates: (person, network) pairs, in order of arrival."""
    rows = db.session.execute(
        sa.select(
            LiveUpdate.author_id, LiveUpdate.network_id, sa.func.min(LiveUpdate.id)
        )
        .where(
            LiveUpdate.position_id == position_id,
            LiveUpdate.id > after,
            LiveUpdate.id <= until,
            LiveUpdate.author_id.is_not(None),
        )
        .group_by(LiveUpdate.author_id, LiveUpdate.network_id)
        .order_by(sa.func.min(LiveUpdate.id))
    ).all()
    return [(row[0], row[1]) for row in rows]
