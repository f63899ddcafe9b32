"""Positions being co-written, and their append-only revisions."""

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.models.base import (
    AppendOnly,
    Base,
    UTCDateTime,
    enum_type,
    link_key,
    link_table,
    utcnow,
)
from advocacy.models.networks import Network, Theme
from advocacy.models.users import User


class PositionState(enum.Enum):
    DRAFT = "draft"
    CONSULTATION = "consultation"
    VOTE = "vote"
    CONSOLIDATION = "consolidation"
    BOARD_REVIEW = "board_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Still on its way: neither published nor ended."""
        return self not in (
            PositionState.PUBLISHED,
            PositionState.REJECTED,
            PositionState.WITHDRAWN,
        )


STATE_LABELS = {
    PositionState.DRAFT: _l("Draft"),
    PositionState.CONSULTATION: _l("In consultation"),
    PositionState.VOTE: _l("Being voted on"),
    PositionState.CONSOLIDATION: _l("Consolidation"),
    PositionState.BOARD_REVIEW: _l("Board review"),
    PositionState.APPROVED: _l("Approved"),
    PositionState.PUBLISHED: _l("Published"),
    PositionState.REJECTED: _l("Rejected"),
    PositionState.WITHDRAWN: _l("Withdrawn"),
}


class Arena(enum.Enum):
    REGIONAL = "regional"
    NATIONAL = "national"
    EUROPEAN = "european"

    @property
    def label(self):
        return ARENA_LABELS[self]


ARENA_LABELS = {
    Arena.REGIONAL: _l("Regional"),
    Arena.NATIONAL: _l("National"),
    Arena.EUROPEAN: _l("European"),
}


class RevisionSource(enum.Enum):
    CREATE = "create"
    EDIT = "edit"
    MERGE = "merge"
    RESTORE = "restore"
    AMENDMENT = "amendment"

    @property
    def label(self):
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    RevisionSource.CREATE: _l("first version"),
    RevisionSource.EDIT: _l("edit"),
    RevisionSource.MERGE: _l("edit merged with a concurrent one"),
    RevisionSource.RESTORE: _l("restored"),
    RevisionSource.AMENDMENT: _l("amendment"),
}

position_themes = link_table(
    "position_themes", "position_id", "positions.id", link_key("theme_id", "themes.id")
)


class PositionArena(Base):
    __tablename__ = "position_arenas"

    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True
    )
    arena: Mapped[Arena] = mapped_column(
        enum_type(Arena, "arena"), primary_key=True, index=True
    )


class CoAuthor(Base):
    """A network invited to co-write a position with its lead network."""

    __tablename__ = "position_coauthors"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()

    __table_args__ = (sa.UniqueConstraint("position_id", "network_id"),)


class Position(Base):
    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Copies of the current revision's title and summary, for lists and filters.
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    lead_network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("networks.id"), index=True
    )
    state: Mapped[PositionState] = mapped_column(
        enum_type(PositionState, "position_state"),
        default=PositionState.DRAFT,
        index=True,
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    current_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(
            "revisions.id", use_alter=True, name="fk_positions_current_revision"
        )
    )
    #: Bumped by every change: the row is locked by writing it, on every backend.
    lock_version: Mapped[int] = mapped_column(default=0)
    withdrawn_reason: Mapped[str] = mapped_column(sa.Text, default="")
    consultation_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Comments and amendments are refused from this moment on.
    consultation_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consultation_message: Mapped[str] = mapped_column(sa.Text, default="")
    #: Why staff opened a consultation (a vote) shorter than the minimum.
    consultation_short_reason: Mapped[str] = mapped_column(
        sa.Text, default="", server_default=""
    )
    vote_short_reason: Mapped[str] = mapped_column(
        sa.Text, default="", server_default=""
    )
    vote_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Ballots are refused from this moment on.
    vote_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    vote_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Rounds of board review: 0 until first submitted.
    board_round: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The board's motivation when it sent the text back or rejected it.
    board_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: An approved position waiting to be published at this moment.
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    publish_scheduled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: The national position this one declines in the region (federation).
    orientation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("orientations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The last change of any kind: lists are sorted by it.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )

    lead_network: Mapped[Network] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    #: No query when it declines none: a many-to-one with no key loads nothing.
    orientation: Mapped["Orientation | None"] = relationship()  # noqa: F821
    current_revision: Mapped["Revision | None"] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )
    coauthors: Mapped[list[CoAuthor]] = relationship(
        cascade="all, delete-orphan", order_by=CoAuthor.id
    )
    themes: Mapped[list[Theme]] = relationship(
        secondary=position_themes, order_by=Theme.sort_order
    )
    arena_rows: Mapped[list[PositionArena]] = relationship(cascade="all, delete-orphan")

    @property
    def arenas(self) -> list[Arena]:
        order = list(Arena)
        return sorted((row.arena for row in self.arena_rows), key=order.index)

    def consultation_is_open(self, now: datetime | None = None) -> bool:
        """Members may comment and propose amendments now."""
        now = now or utcnow()
        return (
            self.state is PositionState.CONSULTATION
            and self.consultation_closes_at is not None
            and now < self.consultation_closes_at
        )

    def vote_is_open(self, now: datetime | None = None) -> bool:
        """Networks may cast or change their ballots now."""
        now = now or utcnow()
        return (
            self.state is PositionState.VOTE
            and self.vote_closes_at is not None
            and now < self.vote_closes_at
        )

    def discussion_is_open(self, now: datetime | None = None) -> bool:
        """Comments are taken during the consultation and the vote."""
        return self.consultation_is_open(now) or self.vote_is_open(now)

    @property
    def author_network_ids(self) -> set[int]:
        """The lead network and the co-author networks."""
        return {self.lead_network_id, *(c.network_id for c in self.coauthors)}

    def __repr__(self) -> str:
        return f"<Position {self.id} {self.state.value}>"


class Revision(AppendOnly, Base):
    """An immutable snapshot of a position's text."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    #: The sanitised HTML of ``body``, with section anchors; shown as is.
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    #: ``[{"id": "s-…", "text": "…"}]``: the sections of ``body``, in order.
    sections: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: The network the author wrote for (none for staff who represent none).
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="SET NULL")
    )
    message: Mapped[str] = mapped_column(sa.String(200), default="")
    base_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("revisions.id", ondelete="SET NULL")
    )
    source: Mapped[RevisionSource] = mapped_column(
        enum_type(RevisionSource, "revision_source"), default=RevisionSource.EDIT
    )
    #: For revisions made by applying an amendment.
    amendment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(
            "amendments.id",
            ondelete="SET NULL",
            use_alter=True,
            name="fk_revisions_amendment_id_amendments",
        )
    )
    #: For restores: the number of the revision brought back.
    restored_number: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
    network: Mapped[Network | None] = relationship()
    #: For a revision of the live text: everyone who typed since the one before.
    contributors: Mapped[list["RevisionContributor"]] = relationship(  # noqa: F821
        order_by="RevisionContributor.id", viewonly=True
    )

    __table_args__ = (sa.UniqueConstraint("position_id", "number"),)
