"""The consultation of members: comments on a position, their history and reports."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.models.base import AppendOnly, Base, UTCDateTime, enum_type, utcnow
from advocacy.models.networks import Network
from advocacy.models.users import User


class ReportReason(enum.Enum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    OFF_TOPIC = "off_topic"
    OTHER = "other"

    @property
    def label(self):
        return REASON_LABELS[self]


REASON_LABELS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.OFFENSIVE: _l("Offensive or abusive"),
    ReportReason.OFF_TOPIC: _l("Off topic"),
    ReportReason.OTHER: _l("Other"),
}


class Comment(Base):
    """A remark on a position, on one of its sections, or a reply to another remark."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE")
    )
    #: The revision that was current when the comment was made.
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    #: The section's stable id (``s-…``), or None for the whole text.
    section_id: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    #: Set for comments on an amendment rather than on the text.
    amendment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("amendments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: The network the author spoke for.
    network_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    #: A section of a region's contribution the comment quotes (federation).
    cited_contribution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="SET NULL")
    )
    cited_section_id: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    network: Mapped[Network | None] = relationship()
    # ordered by (parent_id, id), not by id alone: the same order for one parent,
    # and SQLite then reads the replies of a page through ix_comments_parent_id
    # instead of walking the whole table in id order
    replies: Mapped[list["Comment"]] = relationship(
        order_by=lambda: (Comment.parent_id, Comment.id), cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.Index("ix_comments_position_parent", "position_id", "parent_id"),
        # a page of the discussion: a position's top-level comments, by id
        sa.Index(
            "ix_comments_top_level",
            "position_id",
            "id",
            postgresql_where=sa.text("parent_id IS NULL"),
            sqlite_where=sa.text("parent_id IS NULL"),
        ),
    )

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None


class CommentEdit(AppendOnly, Base):
    """An earlier wording of a comment, kept when its author edits it."""

    __tablename__ = "comment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentReport(Base):
    """Someone asked the staff to look at a comment."""

    __tablename__ = "comment_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[ReportReason] = mapped_column(
        enum_type(ReportReason, "report_reason")
    )
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when staff hid or kept the comment.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    reporter: Mapped[User | None] = relationship()
    comment: Mapped[Comment] = relationship()

    __table_args__ = (sa.UniqueConstraint("comment_id", "reporter_id"),)


class AmendmentKind(enum.Enum):
    REPLACE = "replace"
    INSERT_AFTER = "insert_after"
    DELETE = "delete"

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    AmendmentKind.REPLACE: _l("Replace the section"),
    AmendmentKind.INSERT_AFTER: _l("Insert a new section after it"),
    AmendmentKind.DELETE: _l("Delete the section"),
}


class AmendmentStatus(enum.Enum):
    FILED = "filed"
    TO_VOTE = "to_vote"
    DECLINED = "declined"
    INTEGRATED = "integrated"
    WITHDRAWN = "withdrawn"
    ADOPTED = "adopted"
    REJECTED = "rejected"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    AmendmentStatus.FILED: _l("Filed"),
    AmendmentStatus.TO_VOTE: _l("Put to the vote"),
    AmendmentStatus.DECLINED: _l("Declined"),
    AmendmentStatus.INTEGRATED: _l("Integrated by consensus"),
    AmendmentStatus.WITHDRAWN: _l("Withdrawn"),
    AmendmentStatus.ADOPTED: _l("Adopted"),
    AmendmentStatus.REJECTED: _l("Rejected by the vote"),
}


class Amendment(Base):
    """A proposed change to one section of a position, with its rationale."""

    __tablename__ = "amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE")
    )
    #: Numbered per position: "amendment 3".
    number: Mapped[int] = mapped_column()
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id"))
    section_id: Mapped[str] = mapped_column(sa.String(16), index=True)
    #: The section's text when the amendment was filed (to tell if it changed since).
    section_text: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[AmendmentKind] = mapped_column(
        enum_type(AmendmentKind, "amendment_kind")
    )
    proposed: Mapped[str] = mapped_column(sa.Text, default="")
    #: ``proposed`` rendered and sanitised once, when filed.
    proposed_html: Mapped[str] = mapped_column(sa.Text, default="")
    rationale: Mapped[str] = mapped_column(sa.Text)
    rationale_html: Mapped[str] = mapped_column(sa.Text)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Filed in a region's name (federation): the region's name, and what it
    #: comes from, a section of its contribution or an amendment it adopted.
    on_behalf_of: Mapped[str] = mapped_column(
        sa.String(200), default="", server_default=""
    )
    contribution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="SET NULL")
    )
    contribution_section_id: Mapped[str | None] = mapped_column(sa.String(100))
    regional_amendment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("regional_amendments.id", ondelete="SET NULL")
    )
    status: Mapped[AmendmentStatus] = mapped_column(
        enum_type(AmendmentStatus, "amendment_status"), default=AmendmentStatus.FILED
    )
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The form's one-time token: submitting the same form twice files one amendment.
    form_token: Mapped[str] = mapped_column(sa.String(43), unique=True)
    #: When an adopted or integrated amendment was written into the text.
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    supports: Mapped[list["AmendmentSupport"]] = relationship(
        cascade="all, delete-orphan", order_by="AmendmentSupport.id"
    )
    #: Every wording it had, the first as filed; the amendment shows the last.
    versions: Mapped[list["AmendmentVersion"]] = relationship(
        cascade="all, delete-orphan",
        order_by="AmendmentVersion.number",
        back_populates="amendment",
    )

    __table_args__ = (sa.UniqueConstraint("position_id", "number"),)


class AmendmentVersion(AppendOnly, Base):
    """One wording of an amendment: as filed, then after each edit by its network."""

    __tablename__ = "amendment_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("amendments.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column()
    kind: Mapped[AmendmentKind] = mapped_column(
        enum_type(AmendmentKind, "amendment_version_kind")
    )
    proposed: Mapped[str] = mapped_column(sa.Text, default="")
    proposed_html: Mapped[str] = mapped_column(sa.Text, default="")
    rationale: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    amendment: Mapped[Amendment] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("amendment_id", "number"),)


class AmendmentSupport(Base):
    """A network backs another network's amendment (once per network)."""

    __tablename__ = "amendment_supports"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("amendments.id", ondelete="CASCADE")
    )
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()

    __table_args__ = (sa.UniqueConstraint("amendment_id", "network_id"),)
