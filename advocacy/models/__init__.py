"""All models, importable from one place (Alembic and the app need them all)."""

from advocacy.models.annexes import Annex, StoredFile
from advocacy.models.audit import AuditEvent
from advocacy.models.base import Base, utcnow
from advocacy.models.board import BoardChoice, BoardDecision, BoardDecisionCast
from advocacy.models.consultation import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AmendmentSupport,
    AmendmentVersion,
    Comment,
    CommentEdit,
    CommentReport,
    ReportReason,
)
from advocacy.models.live import LiveDocument, LiveUpdate, RevisionContributor
from advocacy.models.networks import (
    Department,
    EssFamily,
    Network,
    NetworkKind,
    Theme,
)
from advocacy.models.notifications import (
    Category,
    Delivery,
    Notification,
    NotificationPreference,
    NotificationRead,
    OutboxMessage,
    OutboxStatus,
)
from advocacy.models.positions import (
    Arena,
    CoAuthor,
    Position,
    PositionArena,
    PositionState,
    Revision,
    RevisionSource,
)
from advocacy.models.search import SearchDocument
from advocacy.models.site import SiteState
from advocacy.models.statements import (
    FollowUp,
    FollowUpKind,
    Signature,
    Statement,
    StatementPdf,
    StatementVersion,
)
from advocacy.models.users import (
    Invitation,
    InvitationStatus,
    Membership,
    MembershipRole,
    PasswordReset,
    User,
    UserSession,
)
from advocacy.models.votes import (
    Ballot,
    BallotCast,
    BallotChoice,
    EligibleNetwork,
    Motion,
    MotionKind,
)

__all__ = [
    "Amendment",
    "Annex",
    "AmendmentKind",
    "AmendmentStatus",
    "AmendmentSupport",
    "AmendmentVersion",
    "Arena",
    "AuditEvent",
    "Ballot",
    "BoardChoice",
    "BoardDecision",
    "BoardDecisionCast",
    "BallotCast",
    "BallotChoice",
    "EligibleNetwork",
    "FollowUp",
    "FollowUpKind",
    "Motion",
    "MotionKind",
    "CoAuthor",
    "Comment",
    "CommentEdit",
    "CommentReport",
    "ReportReason",
    "Position",
    "PositionArena",
    "PositionState",
    "Revision",
    "RevisionContributor",
    "SearchDocument",
    "Category",
    "Delivery",
    "Notification",
    "NotificationPreference",
    "NotificationRead",
    "OutboxMessage",
    "OutboxStatus",
    "SiteState",
    "Signature",
    "Statement",
    "StoredFile",
    "StatementPdf",
    "StatementVersion",
    "RevisionSource",
    "Base",
    "Department",
    "EssFamily",
    "Invitation",
    "LiveDocument",
    "LiveUpdate",
    "InvitationStatus",
    "Membership",
    "MembershipRole",
    "Network",
    "NetworkKind",
    "PasswordReset",
    "UserSession",
    "Theme",
    "User",
    "utcnow",
]
