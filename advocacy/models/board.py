"""The board's review of a consolidated position: one decision per member and round."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.models.base import AppendOnly, Base, UTCDateTime, enum_type, utcnow
from advocacy.models.users import User


class BoardChoice(enum.Enum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"

    @property
    def label(self):
        return BOARD_LABELS[self]


BOARD_LABELS = {
    BoardChoice.APPROVE: _l("Approve"),
    BoardChoice.REQUEST_CHANGES: _l("Request changes"),
    BoardChoice.REJECT: _l("Reject"),
}


class BoardDecision(Base):
    """A board member's current decision on a position, for one round of review."""

    __tablename__ = "board_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE")
    )
    #: A position sent back for changes comes back in a new round.
    round: Mapped[int] = mapped_column()
    member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    choice: Mapped[BoardChoice] = mapped_column(enum_type(BoardChoice, "board_choice"))
    motivation: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("position_id", "round", "member_id"),)


class BoardDecisionCast(AppendOnly, Base):
    """Every decision ever recorded, changes included."""

    __tablename__ = "board_decision_casts"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column()
    member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    choice: Mapped[BoardChoice] = mapped_column(
        enum_type(BoardChoice, "board_cast_choice")
    )
    motivation: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BoardRecusal(Base):
    """A board member steps aside from one round of review (a conflict of
    interest: their network led, co-wrote or voted on the position). Kept out of
    the count; shown on the statement without a name."""

    __tablename__ = "board_recusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE")
    )
    round: Mapped[int] = mapped_column()
    member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("position_id", "round", "member_id"),)
