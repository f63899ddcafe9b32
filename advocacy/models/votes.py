"""Votes: motions put to the member networks, one ballot per network, kept with history."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.models.base import AppendOnly, Base, UTCDateTime, enum_type, utcnow
from advocacy.models.networks import Network
from advocacy.models.users import User


class MotionKind(enum.Enum):
    AMENDMENT = "amendment"
    ADOPT_TEXT = "adopt_text"


class BallotChoice(enum.Enum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"

    @property
    def label(self):
        return CHOICE_LABELS[self]


CHOICE_LABELS = {
    BallotChoice.FOR: _l("For"),
    BallotChoice.AGAINST: _l("Against"),
    BallotChoice.ABSTAIN: _l("Abstain"),
}


class Motion(Base):
    """A question put to the vote: an amendment, or adopting the text."""

    __tablename__ = "motions"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MotionKind] = mapped_column(enum_type(MotionKind, "motion_kind"))
    #: An amendment may come back to a later round of the same position.
    amendment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("amendments.id", ondelete="CASCADE"), index=True
    )
    #: The position's vote this motion belongs to: 1, then 2 after a new consultation…
    round: Mapped[int] = mapped_column(default=1)
    #: The rules in force when the vote opened: a later change of setting changes nothing.
    quorum: Mapped[float] = mapped_column()
    eligible_count: Mapped[int] = mapped_column()
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Filled in when the vote closes.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    votes_for: Mapped[int | None] = mapped_column()
    votes_against: Mapped[int | None] = mapped_column()
    votes_abstain: Mapped[int | None] = mapped_column()
    quorum_reached: Mapped[bool | None] = mapped_column()
    passed: Mapped[bool | None] = mapped_column()

    amendment = relationship("Amendment")

    __table_args__ = (sa.UniqueConstraint("amendment_id", "round"),)

    @property
    def participants(self) -> int:
        return (
            (self.votes_for or 0)
            + (self.votes_against or 0)
            + (self.votes_abstain or 0)
        )

    @property
    def quorum_needed(self) -> int:
        """How many networks must take part for the result to count."""
        import math

        return max(1, math.ceil(self.quorum * self.eligible_count - 1e-9))


class EligibleNetwork(Base):
    """A network that may vote in a position's vote (active when the vote opened)."""

    __tablename__ = "eligible_networks"

    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True
    )
    network_id: Mapped[int] = mapped_column(
        sa.ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Ballot(Base):
    """A network's current ballot on a motion: exactly one per (motion, network)."""

    __tablename__ = "ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("motions.id", ondelete="CASCADE")
    )
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"), index=True)
    choice: Mapped[BallotChoice] = mapped_column(
        enum_type(BallotChoice, "ballot_choice")
    )
    cast_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network: Mapped[Network] = relationship()
    cast_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("motion_id", "network_id"),)


class BallotCast(AppendOnly, Base):
    """Every ballot ever cast, changes included: the vote's history."""

    __tablename__ = "ballot_casts"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("motions.id", ondelete="CASCADE"), index=True
    )
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("networks.id"))
    choice: Mapped[BallotChoice] = mapped_column(enum_type(BallotChoice, "cast_choice"))
    cast_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
