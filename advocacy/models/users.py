"""People, the networks they represent, and the tokens that let them in."""

import enum
from datetime import datetime
from typing import ClassVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from advocacy.models.base import Base, UTCDateTime, enum_type, utcnow
from advocacy.models.networks import Network


class MembershipRole(enum.Enum):
    REPRESENTATIVE = "representative"
    COORDINATOR = "coordinator"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    MembershipRole.REPRESENTATIVE: _l("Representative"),
    MembershipRole.COORDINATOR: _l("Coordinator"),
}


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case, so that uniqueness ignores case.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    locale: Mapped[str] = mapped_column(sa.String(5), default="fr")
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_board: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Broadcast notifications (news to every member) up to this id are read…
    broadcasts_read_through: Mapped[int] = mapped_column(default=0)
    #: …and up to this id went out in a digest (see models/notifications.py).
    broadcasts_mailed_through: Mapped[int] = mapped_column(default=0)
    #: Part of the signed address of one's calendar feed: bumped to revoke it.
    calendar_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @validates("email")
    def _normalise_email(self, _key, value):
        return normalise_email(value)

    #: The key of the browser session this object was loaded for (not stored).
    session_key: ClassVar[str | None] = None

    def get_id(self) -> str:
        """What the session cookie carries: the person and their session's key."""
        if not self.session_key:
            raise RuntimeError("sign in through accounts.start_session")
        return f"{self.id}:{self.session_key}"

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Membership(Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MembershipRole] = mapped_column(
        enum_type(MembershipRole, "membership_role"),
        default=MembershipRole.REPRESENTATIVE,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    network: Mapped[Network] = relationship(back_populates="memberships")

    __table_args__ = (sa.UniqueConstraint("user_id", "network_id"),)


class InvitationStatus(enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"

    @property
    def label(self):
        return INVITATION_STATUS_LABELS[self]


INVITATION_STATUS_LABELS = {
    InvitationStatus.PENDING: _l("Pending"),
    InvitationStatus.ACCEPTED: _l("Accepted"),
    InvitationStatus.REVOKED: _l("Revoked"),
    InvitationStatus.EXPIRED: _l("Expired"),
}


class Invitation(Base):
    """An emailed, single-use invitation to represent a network."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MembershipRole] = mapped_column(
        enum_type(MembershipRole, "invitation_role")
    )
    #: SHA-256 of the token sent by email; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    send_count: Mapped[int] = mapped_column(default=1)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network: Mapped[Network] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    @validates("email")
    def _normalise_email(self, _key, value):
        return normalise_email(value)

    @property
    def status(self) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= utcnow():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING


class PasswordReset(Base):
    """A single-use password-reset link."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_usable(self) -> bool:
        return (
            self.used_at is None and self.expires_at > utcnow() and self.user.is_active
        )


class UserSession(Base):
    """A browser where a person is signed in.

    The cookie carries a random key; only its hash is stored. Deleting the row ends
    the session on every app process at once: sign-out, a new password, a
    deactivation, or "sign out everywhere".
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The browser's description, cut short, shown on the account page.
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
