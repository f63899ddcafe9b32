"""Reads of people: their memberships, their notifications, what happened near them."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from advocacy.extensions import db
from advocacy.models import (
    AuditEvent,
    Invitation,
    Membership,
    MembershipRole,
    Network,
    User,
)
from advocacy.queries.networks import pending_invitation
from advocacy.queries.positions import written_by_networks_of
from advocacy.web import contains


def memberships_of(user_id: int) -> list[Membership]:
    """A person's memberships with their networks, by network name."""
    rows = db.session.scalars(
        sa.select(Membership)
        .filter_by(user_id=user_id)
        .options(joinedload(Membership.network))
    ).all()
    return sorted(rows, key=lambda m: m.network.name.lower())


def activity_near(user_id: int, actions) -> sa.Select:
    """Audit events of the positions a person's networks write, newest first."""
    return (
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == "position",
            AuditEvent.object_id.in_(written_by_networks_of(user_id)),
            AuditEvent.action.in_(list(actions)),
        )
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )


def filtered(form) -> sa.Select:
    """The people a (validated) staff filter form keeps, by name, with memberships."""
    stmt = (
        sa.select(User)
        .options(selectinload(User.memberships).selectinload(Membership.network))
        .order_by(User.display_name, User.id)
    )
    if form.q.data:
        stmt = stmt.where(
            sa.or_(
                contains(User.display_name, form.q.data),
                contains(User.email, form.q.data),
            )
        )
    if form.role.data == "staff":
        stmt = stmt.where(User.is_admin.is_(True))
    elif form.role.data == "board":
        stmt = stmt.where(User.is_board.is_(True))
    elif form.role.data == "coordinator":
        stmt = stmt.where(
            User.memberships.any(Membership.role == MembershipRole.COORDINATOR)
        )
    if form.status.data != "all":
        stmt = stmt.where(User.is_active.is_(form.status.data == "active"))
    return stmt


def invitations_to(email: str) -> list[Invitation]:
    """The invitations sent to an address, the latest first, with their networks."""
    return db.session.scalars(
        sa.select(Invitation)
        .filter_by(email=email)
        .options(selectinload(Invitation.network))
        .order_by(Invitation.created_at.desc())
    ).all()


def invitations(*, pending_only: bool) -> sa.Select:
    """Invitations, the latest first, with their network and who sent them."""
    stmt = (
        sa.select(Invitation)
        .options(selectinload(Invitation.network), selectinload(Invitation.invited_by))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    if pending_only:
        stmt = stmt.where(*pending_invitation())
    return stmt


def pending_invitations_to(network_id: int) -> list[Invitation]:
    """The invitations to a network not yet accepted nor revoked, the latest first."""
    return db.session.scalars(
        sa.select(Invitation)
        .where(
            Invitation.network_id == network_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at.desc())
    ).all()


def members_of(network_id: int) -> list[Membership]:
    """A network's memberships, by the member's name."""
    members = db.session.scalars(
        sa.select(Membership)
        .filter_by(network_id=network_id)
        .options(selectinload(Membership.user))
    ).all()
    return sorted(members, key=lambda m: m.user.display_name.lower())


def _members():
    """Active people who may see every position: representatives, board, staff."""
    return sa.select(User).where(
        User.is_active.is_(True),
        sa.or_(
            User.is_admin.is_(True),
            User.is_board.is_(True),
            User.id.in_(sa.select(Membership.user_id)),
        ),
    )


def mentionable(names: set[str]) -> tuple[list[User], list[Network]]:
    """The members and active networks called exactly one of these names."""
    if not names:
        return [], []
    wanted = sorted(names)
    users = db.session.scalars(
        _members()
        .where(User.display_name.in_(wanted))
        .options(selectinload(User.memberships).joinedload(Membership.network))
    ).all()
    networks = db.session.scalars(
        sa.select(Network).where(Network.is_active.is_(True), Network.name.in_(wanted))
    ).all()
    return list(users), list(networks)


def mention_suggestions(text: str, limit: int = 8) -> tuple[list[User], list[Network]]:
    """Members and active networks whose name contains ``text``, a few of each."""
    users = db.session.scalars(
        _members()
        .where(contains(User.display_name, text))
        .options(selectinload(User.memberships).joinedload(Membership.network))
        .order_by(User.display_name)
        .limit(limit)
    ).all()
    networks = db.session.scalars(
        sa.select(Network)
        .where(Network.is_active.is_(True), contains(Network.name, text))
        .order_by(Network.name)
        .limit(limit)
    ).all()
    return list(users), list(networks)
