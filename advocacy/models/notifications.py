"""Notifications: what each person is told, how they want to hear it, and the outbox."""

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.models.base import Base, UTCDateTime, enum_type, utcnow


class Category(enum.Enum):
    DRAFTING = "drafting"
    CONSULTATION = "consultation"
    VOTES = "votes"
    BOARD = "board"
    PUBLICATIONS = "publications"

    @property
    def label(self):
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.DRAFTING: _l("Drafting"),
    Category.CONSULTATION: _l("Consultations"),
    Category.VOTES: _l("Votes"),
    Category.BOARD: _l("Board"),
    Category.PUBLICATIONS: _l("Publications"),
}


class Delivery(enum.Enum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    NEVER = "never"

    @property
    def label(self):
        return DELIVERY_LABELS[self]


DELIVERY_LABELS = {
    Delivery.IMMEDIATE: _l("By email, at once"),
    Delivery.DIGEST: _l("In the daily digest"),
    Delivery.NEVER: _l("Not by email (in the app only)"),
}
#: What a person gets until they choose.
DEFAULT_DELIVERY = {
    Category.DRAFTING: Delivery.DIGEST,
    Category.CONSULTATION: Delivery.DIGEST,
    Category.VOTES: Delivery.IMMEDIATE,
    Category.BOARD: Delivery.IMMEDIATE,
    Category.PUBLICATIONS: Delivery.DIGEST,
}


#: The audience of a broadcast: every active person representing an active network.
MEMBERS = "members"


class Notification(Base):
    """One thing one person is told, or a broadcast: news told to every member.

    A broadcast (``user_id`` NULL, ``audience`` "members") is stored once, however
    many members there are: each person's list and unread count are derived from
    the broadcasts made since their account was created (not their own acts),
    with their read marker ``User.broadcasts_read_through`` and the
    ``NotificationRead`` rows of the ones read one by one. Its emails are made by
    the outbox worker from one fan-out job (``OutboxMessage`` without a person).
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The person told; None for a broadcast.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE")
    )
    #: Who a broadcast is for (``MEMBERS``); None for one person's notification.
    audience: Mapped[str | None] = mapped_column(sa.String(20))
    #: Who did what a broadcast tells: they are not told of their own act.
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    category: Mapped[Category] = mapped_column(
        enum_type(Category, "notification_category")
    )
    #: What happened: ``consultation_open``, ``vote_closing``, … (see services).
    kind: Mapped[str] = mapped_column(sa.String(40))
    #: What the message needs, frozen when it was made: title, network, results…
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: Where it leads, a path on the site.
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("audit_events.id", ondelete="SET NULL")
    )
    #: Makes a reminder once only: unique per person.
    once_key: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it went out in a digest (or was emailed at once, or never will be).
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.Index("ix_notifications_user_created", "user_id", "created_at"),
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
        sa.Index("ix_notifications_audience", "audience", "id"),
        # the latest broadcasts, read backwards (queries/notifications.py)
        sa.Index(
            "ix_notifications_broadcasts",
            "created_at",
            "id",
            postgresql_where=sa.text("user_id IS NULL"),
            sqlite_where=sa.text("user_id IS NULL"),
        ),
        sa.UniqueConstraint("user_id", "once_key"),
    )

    @property
    def is_broadcast(self) -> bool:
        return self.user_id is None


class NotificationRead(Base):
    """A broadcast one person read on its own (past their read marker)."""

    __tablename__ = "notification_reads"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    notification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )


class NotificationPreference(Base):
    """How a person wants to hear of one category; absent means the default."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[Category] = mapped_column(
        enum_type(Category, "preference_category"), primary_key=True
    )
    delivery: Mapped[Delivery] = mapped_column(enum_type(Delivery, "delivery"))


class OutboxStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    """An email to send, or an activity to post to another installation, written
    in the same transaction as what it tells."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The person it goes to; None for a broadcast's fan-out job, which the
    #: worker turns into one message per member who wants it at once.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE")
    )
    #: What it tells: one notification, or a digest of several (their ids).
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="CASCADE")
    )
    digest: Mapped[list[int] | None] = mapped_column(sa.JSON)
    #: An activity to post to another installation (advocacy/federation/),
    #: instead of an email; ``to_address`` then names its host.
    federation_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("federation_messages.id", ondelete="CASCADE")
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    #: The whole message (RFC 5322), made at the first attempt in the person's
    #: language, then sent as it is at every retry.
    raw: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)
