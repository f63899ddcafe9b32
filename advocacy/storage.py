"""Where file contents live: behind one small interface, in the database by default.

Every app host sees the database, so annexes need no shared disk. Contents are
addressed by their SHA-256: storing the same file twice stores it once, and a
key always returns the bytes it was made from. Another backend (object storage)
would implement the same two methods.
"""

import hashlib

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import StoredFile


class DatabaseStorage:
    """Contents as rows of ``stored_files``, written in the caller's transaction."""

    def put(self, data: bytes) -> str:
        """Store ``data``; its key (SHA-256, hexadecimal)."""
        key = hashlib.sha256(data).hexdigest()
        known = db.session.scalar(
            sa.select(StoredFile.sha256).where(StoredFile.sha256 == key)
        )
        if known is None:
            try:
                with db.session.begin_nested():  # the same file sent twice at once
                    db.session.add(StoredFile(sha256=key, size=len(data), data=data))
            except sa.exc.IntegrityError:
                pass  # stored by the other: same key, same bytes
        return key

    def get(self, key: str) -> bytes | None:
        """The bytes stored under ``key``, or None."""
        return db.session.scalar(
            sa.select(StoredFile.data).where(StoredFile.sha256 == key)
        )


def storage() -> DatabaseStorage:
    return DatabaseStorage()
