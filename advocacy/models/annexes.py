"""Annexes: files attached to a position, and the stored contents they point to.

A file's content is stored once, under its SHA-256 (``StoredFile``, the
database storage of ``advocacy/storage.py``); an ``Annex`` names it for one
position, with the name, type and size people see.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.models.base import Base, UTCDateTime, utcnow
from advocacy.models.networks import Network
from advocacy.models.users import User


class StoredFile(Base):
    """A file's bytes, once, by their SHA-256 (content-addressed: never changed)."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column()
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Annex(Base):
    """A file co-authors attached to a position: a study, a table, a figure."""

    __tablename__ = "annexes"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    #: The name people see and download it as (the type's extension enforced).
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: The type read from the content, never from the name.
    mime: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int] = mapped_column()
    #: The key of its content in the storage.
    sha256: Mapped[str] = mapped_column(sa.String(64))
    added_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    added_by: Mapped[User | None] = relationship()
    network: Mapped[Network | None] = relationship()
