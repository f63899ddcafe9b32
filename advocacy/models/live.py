"""The live text of a draft: a Yjs document kept as the log of its updates.

Co-authors write together in real time (``advocacy/collab``). Every update
their editors send is stored here before anyone else receives it; the document
is the sum of its updates, in any order. Revisions are cut from it.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.models.base import AppendOnly, Base, UTCDateTime, utcnow
from advocacy.models.networks import Network
from advocacy.models.users import User


class LiveDocument(Base):
    """One position's live document: made once, from the text of a revision."""

    __tablename__ = "live_documents"

    #: One document per position: two servers seeding it at once cannot both win.
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True
    )
    #: The last update already folded into a revision (people who typed after it
    #: are credited by the next one).
    cut_update_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LiveUpdate(Base):
    """One Yjs update of a live document, with who typed it. Updates a version
    already holds are folded into one (``services.live.compact``): the history of
    the text is its revisions."""

    __tablename__ = "live_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_documents.position_id", ondelete="CASCADE")
    )
    #: The binary Yjs update (v1 encoding).
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    #: Who typed it, for whom; none for the platform's own updates (the text of
    #: the revision it starts from, a version saved through the form).
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.Index("ix_live_updates_position_id_id", "position_id", "id"),)


class RevisionContributor(AppendOnly, Base):
    """Who wrote a revision cut from the live text: each person, and the network
    they wrote for, who typed since the revision before."""

    __tablename__ = "revision_contributors"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        sa.ForeignKey("revisions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship()
    network: Mapped[Network | None] = relationship()
