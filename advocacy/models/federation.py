"""Federation: this installation's key pair, the installations it is linked to,
and every message exchanged with them (advocacy/federation/)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.models.base import Base, UTCDateTime, enum_type, utcnow


class InstallationKey(Base):
    """The key pair this installation signs its messages with: one row, made at
    the first start (or by ``flask federation keys``). The private key never
    leaves the database; the public key is published in the actor document."""

    __tablename__ = "installation_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Ed25519, PEM (PKCS#8, unencrypted: the database is the secret's keeper).
    private_pem: Mapped[str] = mapped_column(sa.Text)
    public_pem: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinkPurpose(enum.Enum):
    """What a link is for, seen from this installation."""

    #: Our statements for the national debate go to them (we are a region).
    CONTRIBUTES_TO = "contributes_to"
    #: Their statements come to us as contributions (we are national).
    RECEIVES_CONTRIBUTIONS = "receives_contributions"
    #: Their positions in consultation come to us for regional amendment.
    RECEIVES_ORIENTATIONS = "receives_orientations"
    #: Our positions in consultation go to them (we are national).
    SENDS_ORIENTATIONS = "sends_orientations"

    @property
    def mirror(self) -> "LinkPurpose":
        """The same link, seen from the other installation."""
        return _MIRRORS[self]


_MIRRORS = {
    LinkPurpose.CONTRIBUTES_TO: LinkPurpose.RECEIVES_CONTRIBUTIONS,
    LinkPurpose.RECEIVES_CONTRIBUTIONS: LinkPurpose.CONTRIBUTES_TO,
    LinkPurpose.RECEIVES_ORIENTATIONS: LinkPurpose.SENDS_ORIENTATIONS,
    LinkPurpose.SENDS_ORIENTATIONS: LinkPurpose.RECEIVES_ORIENTATIONS,
}


class LinkState(enum.Enum):
    #: We asked; their staff have not answered yet.
    REQUESTED = "requested"
    #: They asked; our staff have not answered yet.
    PENDING = "pending"
    ACTIVE = "active"
    #: The asked side said no.
    REFUSED = "refused"
    #: Our staff paused it: nothing goes out, what comes in is refused.
    SUSPENDED = "suspended"
    #: One side ended it.
    ENDED = "ended"


class Peer(Base):
    """Another Porte-voix installation, and the link between us."""

    __tablename__ = "peers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The address of its actor document: who it is, for good.
    actor_url: Mapped[str] = mapped_column(sa.String(500), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    inbox_url: Mapped[str] = mapped_column(sa.String(500))
    key_id: Mapped[str] = mapped_column(sa.String(500), unique=True)
    public_pem: Mapped[str] = mapped_column(sa.Text)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_type(LinkPurpose, "link_purpose"))
    state: Mapped[LinkState] = mapped_column(enum_type(LinkState, "link_state"))
    #: Whether our staff asked for the link (we sent the Follow), or they did.
    asked_by_us: Mapped[bool] = mapped_column(default=False)
    #: The id of the Follow activity that asked for the link.
    follow_id: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )


class MessageDirection(enum.Enum):
    IN = "in"
    OUT = "out"


class MessageStatus(enum.Enum):
    #: Going out: waiting in the outbox (or for a retry).
    PENDING = "pending"
    SENT = "sent"
    #: Going out: given up after the outbox's last attempt.
    FAILED = "failed"
    #: Coming in: checked and acted on.
    RECEIVED = "received"
    #: Coming in: refused, with the reason; nothing else was written.
    REFUSED = "refused"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    MessageStatus.PENDING: _l("waiting to be sent"),
    MessageStatus.SENT: _l("sent"),
    MessageStatus.FAILED: _l("not delivered"),
    MessageStatus.RECEIVED: _l("received"),
    MessageStatus.REFUSED: _l("refused"),
}


class FederationMessage(Base):
    """An activity sent to or received from a peer, as staff see it."""

    __tablename__ = "federation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[MessageDirection] = mapped_column(
        enum_type(MessageDirection, "message_direction")
    )
    peer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("peers.id", ondelete="SET NULL"), index=True
    )
    activity_id: Mapped[str] = mapped_column(sa.String(500))
    activity_type: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[MessageStatus] = mapped_column(
        enum_type(MessageStatus, "message_status")
    )
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: The activity as sent or received (JSON-LD).
    activity: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        # an activity is acted on once: a replay finds it received already
        sa.Index(
            "uq_federation_messages_received",
            "activity_id",
            unique=True,
            sqlite_where=sa.text("direction = 'in' AND status = 'received'"),
            postgresql_where=sa.text("direction = 'in' AND status = 'received'"),
        ),
        sa.Index("ix_federation_messages_created_at", "created_at"),
    )


class Contribution(Base):
    """A statement another installation (a region) sent for the national debate:
    read-only here, attributed to that installation, every version kept."""

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(sa.ForeignKey("peers.id"), index=True)
    #: The statement's address on the installation that published it.
    remote_id: Mapped[str] = mapped_column(sa.String(500), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    #: The number of the latest version received.
    number: Mapped[int] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    peer: Mapped[Peer] = relationship()


class ContributionVersion(Base):
    """One published version of a contribution, as it was sent."""

    __tablename__ = "contribution_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Sanitised here, whatever was sent.
    body_html: Mapped[str] = mapped_column(sa.Text)
    #: [{id, title, network, amendment}]: each section, with who wrote it.
    sections: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: [{name, role}]: the lead and co-author networks.
    networks: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: The names of the networks that co-signed it.
    signatories: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: How it was built: participants by family and département, comments,
    #: amendments, the votes' results.
    building: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Its address on the installation that published it.
    url: Mapped[str] = mapped_column(sa.String(500))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("contribution_id", "number"),)


class PositionContribution(Base):
    """A contribution attached to one of our positions in consultation: its
    sections can be cited in comments and filed as amendments in its region's
    name."""

    __tablename__ = "position_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE")
    )
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    attached_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("position_id", "contribution_id"),)


class Orientation(Base):
    """A national position in consultation, sent by an installation we receive
    orientations from, for the region to decline and amend."""

    __tablename__ = "orientations"

    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(sa.ForeignKey("peers.id"), index=True)
    #: The position's address on the installation that sent it.
    remote_id: Mapped[str] = mapped_column(sa.String(500), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Sanitised here, whatever was sent.
    body_html: Mapped[str] = mapped_column(sa.Text)
    #: [{id, title, text}]: each section with its id and its Markdown, as sent.
    sections: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: When the national consultation closes: the region's amendments must
    #: arrive before.
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    #: The last sending up of what the region adopted (its status, its reason).
    sent_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("federation_messages.id", ondelete="SET NULL")
    )

    peer: Mapped[Peer] = relationship()
    sent_message: Mapped[FederationMessage | None] = relationship()


class RegionalSubmission(Base):
    """What a region adopted on one of our positions it declined: its amendments
    and its board's decision, received before our consultation closed."""

    __tablename__ = "regional_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE")
    )
    peer_id: Mapped[int] = mapped_column(sa.ForeignKey("peers.id"), index=True)
    #: The regional position's address, on the region's installation.
    remote_id: Mapped[str] = mapped_column(sa.String(500))
    title: Mapped[str] = mapped_column(sa.String(300))
    #: {decision, decided_at, motivations}: the regional board's, without names.
    board: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    peer: Mapped[Peer] = relationship()
    amendments: Mapped[list["RegionalAmendment"]] = relationship(
        cascade="all, delete-orphan", order_by="RegionalAmendment.number"
    )

    __table_args__ = (sa.UniqueConstraint("position_id", "peer_id"),)


class RegionalAmendment(Base):
    """One amendment a region adopted, on a section of our position."""

    __tablename__ = "regional_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("regional_submissions.id", ondelete="CASCADE"), index=True
    )
    #: Its number in the regional position.
    number: Mapped[int] = mapped_column()
    remote_id: Mapped[str] = mapped_column(sa.String(500))
    #: The section of our position it changes (the ids are shared).
    section_id: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(20))
    proposed: Mapped[str] = mapped_column(sa.Text, default="")
    proposed_html: Mapped[str] = mapped_column(sa.Text, default="")
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    rationale_html: Mapped[str] = mapped_column(sa.Text, default="")
    #: The regional network that filed it.
    network: Mapped[str] = mapped_column(sa.String(200), default="")
    #: "adopted" (by the vote) or "integrated" (by consensus).
    status: Mapped[str] = mapped_column(sa.String(20))
    #: {for, against, abstain, eligible, passed, families, departments}, or
    #: None when it was integrated without a vote.
    vote: Mapped[dict | None] = mapped_column(sa.JSON)
