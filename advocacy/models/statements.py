"""Published statements: immutable versions at a stable address, and their co-signatories."""

import enum
from datetime import date, datetime
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
from advocacy.models.networks import Network


class Statement(Base):
    """The public face of a position: a stable slug and its published versions."""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("positions.id"), unique=True)
    #: Made from the first title; never changed, never reused.
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(
            "statement_versions.id",
            use_alter=True,
            name="fk_statements_current_version",
        )
    )
    #: Copies of the current version, for lists and filters.
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    lead_network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("networks.id"), index=True
    )
    published_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )

    current_version: Mapped["StatementVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    lead_network: Mapped[Network] = relationship()

    __table_args__ = (
        # the lists' order: newest first, the id breaking ties
        sa.Index("ix_statements_published_id", "published_at", "id"),
    )


class StatementVersion(AppendOnly, Base):
    """One published version, frozen: what was validated is what stays readable."""

    __tablename__ = "statement_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column()
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text)
    #: Sections with provenance: ``[{"id", "title", "amendment", "network"}]``.
    sections: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    #: ``[{"id", "name", "slug", "role"}]``: lead and co-author networks.
    networks: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    themes: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    arenas: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    #: The board decisions that validated it (choices and motivations, no names).
    decisions: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    #: How it was built: participation, comments, amendments, vote results.
    building: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: The position's annexes when it was published, frozen:
    #: ``[{"filename", "mime", "size", "sha256"}]`` (contents in the storage).
    annexes: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON, default=list, server_default=sa.text("'[]'")
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    statement: Mapped[Statement] = relationship(foreign_keys=[statement_id])

    __table_args__ = (sa.UniqueConstraint("statement_id", "number"),)


class Signature(Base):
    """A network co-signs a published statement (once per network)."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE")
    )
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    signed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()

    __table_args__ = (sa.UniqueConstraint("statement_id", "network_id"),)


class StatementPdf(Base):
    """A version's PDF, laid out once per language and list of signatories.

    ``key`` says which signatories it shows; a signature, its withdrawal or a
    renamed network makes another key, and the PDF is laid out again.
    """

    __tablename__ = "statement_pdfs"

    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statement_versions.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowUpKind(enum.Enum):
    ASSEMBLY = "assembly"
    SENT = "sent"
    ANSWER = "answer"
    NATIONAL = "national"
    OTHER = "other"

    @property
    def label(self):
        return FOLLOW_UP_LABELS[self]


FOLLOW_UP_LABELS = {
    FollowUpKind.ASSEMBLY: _l("Presented to an assembly"),
    FollowUpKind.SENT: _l("Sent to an institution"),
    FollowUpKind.ANSWER: _l("Answer received"),
    FollowUpKind.NATIONAL: _l("Taken up in the national advocacy"),
    FollowUpKind.OTHER: _l("Other"),
}


class FollowUp(Base):
    """What became of a statement: its public timeline ("suites données")."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    happened_on: Mapped[date] = mapped_column(sa.Date)
    kind: Mapped[FollowUpKind] = mapped_column(
        enum_type(FollowUpKind, "follow_up_kind")
    )
    text: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


#: What the current version of each statement is about, for the public filters.
statement_themes = link_table(
    "statement_themes",
    "statement_id",
    "statements.id",
    link_key("theme_id", "themes.id"),
)
statement_arenas = link_table(
    "statement_arenas",
    "statement_id",
    "statements.id",
    sa.Column("arena", sa.String(16), primary_key=True, index=True),
)
#: The lead and co-author networks of the current version.
statement_networks = link_table(
    "statement_networks",
    "statement_id",
    "statements.id",
    link_key("network_id", "networks.id"),
)
