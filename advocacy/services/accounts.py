"""Accounts: invitations, sign-in, passwords, roles and memberships."""

import functools
import hashlib
import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.models import (
    Invitation,
    InvitationStatus,
    Membership,
    MembershipRole,
    Network,
    PasswordReset,
    User,
    UserSession,
    utcnow,
)
from advocacy.models.base import UTCDateTime
from advocacy.models.users import normalise_email
from advocacy.passwords import dummy_verify, hash_password, verify_password
from advocacy.services import ServiceError
from advocacy.services.audit import changes, record_event

logger = logging.getLogger(__name__)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).filter_by(email=normalise_email(email)))


# --- Sign-in -----------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None."""
    user = find_user_by_email(email)
    if user is None:
        dummy_verify(password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    return user


def record_sign_in(user: User) -> None:
    """Note the time of a successful sign-in."""
    user.last_login_at = utcnow()
    record_event("user.sign_in", by=user, object_type="user", object_id=user.id)
    db.session.flush()


# --- Sessions ------------------------------------------------------------------


def _session_lifetime() -> timedelta:
    return current_app.config["PERMANENT_SESSION_LIFETIME"]


def start_session(user: User, *, user_agent: str = "") -> str:
    """Open a session for a person who just proved who they are; returns its key.

    The key goes into the (signed) session cookie; only its hash is stored. The
    person's sessions that have outlived their lifetime are cleared on the way.
    """
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id,
            UserSession.created_at < utcnow() - _session_lifetime(),
        )
    )
    key, key_hash = _new_token()
    db.session.add(
        UserSession(user_id=user.id, key_hash=key_hash, user_agent=user_agent[:200])
    )
    db.session.flush()
    user.session_key = key
    return key


@functools.cache
def _session_user_statement() -> sa.Select:
    """Built once: every signed-in request runs it. With the person come the
    networks they represent, which the menu and most rules read."""
    return (
        sa.select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == sa.bindparam("user_id", type_=sa.Integer),
            User.is_active.is_(True),
            UserSession.key_hash == sa.bindparam("key_hash", type_=sa.String),
            UserSession.created_at >= sa.bindparam("since", type_=UTCDateTime()),
        )
        .options(joinedload(User.memberships).joinedload(Membership.network))
    )


def load_session_user(user_id: int, key: str) -> User | None:
    """The active person a session cookie names, if that session is still open."""
    user = (
        db.session.execute(
            _session_user_statement(),
            {
                "user_id": user_id,
                "key_hash": hash_token(key),
                "since": utcnow() - _session_lifetime(),
            },
        )
        .unique()
        .scalar_one_or_none()
    )
    if user is not None:
        user.session_key = key
    return user


def open_sessions(user: User) -> list[UserSession]:
    """A person's open sessions, the newest first."""
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.created_at >= utcnow() - _session_lifetime(),
            )
            .order_by(UserSession.created_at.desc(), UserSession.id.desc())
        )
    )


def end_session(user: User) -> None:
    """Sign out: the session this person is using now ends."""
    if user.session_key:
        db.session.execute(
            sa.delete(UserSession).where(
                UserSession.key_hash == hash_token(user.session_key)
            )
        )
    user.session_key = None


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session of a person (but ``keep``, the key of the current one)."""
    stmt = sa.delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        stmt = stmt.where(UserSession.key_hash != hash_token(keep))
    ended = db.session.execute(stmt).rowcount
    if not keep:
        user.session_key = None
    return ended


def sign_out_everywhere(user: User) -> int:
    """End every session of mine, this one included, on every device."""
    ended = end_sessions(user)
    record_event(
        "user.sign_out_everywhere",
        by=user,
        object_type="user",
        object_id=user.id,
        sessions=ended,
    )
    db.session.flush()
    return ended


def create_user(
    *,
    email: str,
    display_name: str,
    password: str,
    by: User | None,
    locale: str = "fr",
    is_admin: bool = False,
    is_board: bool = False,
) -> User:
    """Create an account (command line, seed, accepted invitation)."""
    if find_user_by_email(email) is not None:
        raise ServiceError(_("An account with this email address already exists."))
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        locale=locale,
        is_admin=is_admin,
        is_board=is_board,
    )
    db.session.add(user)
    db.session.flush()
    record_event(
        "user.create",
        by=by,
        object_type="user",
        object_id=user.id,
        is_admin=is_admin,
        is_board=is_board,
    )
    return user


# --- Invitations ---------------------------------------------------------------


def invite_person(
    *, email: str, network: Network, role: MembershipRole, by: User
) -> tuple[Invitation, str]:
    """Invite someone to represent a network; returns the invitation and its token."""
    email = normalise_email(email)
    if not network.is_active:
        raise ServiceError(_("This network is deactivated: reactivate it first."))
    existing = find_user_by_email(email)
    if existing is not None and any(
        m.network_id == network.id for m in existing.memberships
    ):
        raise ServiceError(
            _(
                "%(email)s already represents %(network)s.",
                email=email,
                network=network.name,
            )
        )
    pending = db.session.scalars(
        sa.select(Invitation).filter_by(email=email, network_id=network.id)
    ).all()
    if any(inv.status is InvitationStatus.PENDING for inv in pending):
        raise ServiceError(
            _(
                "An invitation to %(network)s is already pending for %(email)s:"
                " resend it instead.",
                email=email,
                network=network.name,
            )
        )
    token, token_hash = _new_token()
    invitation = Invitation(
        email=email,
        network=network,
        role=role,
        token_hash=token_hash,
        invited_by_id=by.id,
        expires_at=utcnow()
        + timedelta(days=current_app.config["INVITATION_VALID_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    record_event(
        "invitation.create",
        by=by,
        object_type="invitation",
        object_id=invitation.id,
        email=email,
        network_id=network.id,
        role=role,
    )
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).filter_by(token_hash=hash_token(token))
    )


def resend_invitation(invitation: Invitation, *, by: User) -> str:
    """Issue a fresh link (the old one stops working) and extend the deadline."""
    if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise ServiceError(_("This invitation was already accepted or revoked."))
    token, invitation.token_hash = _new_token()
    invitation.expires_at = utcnow() + timedelta(
        days=current_app.config["INVITATION_VALID_DAYS"]
    )
    invitation.last_sent_at = utcnow()
    invitation.send_count += 1
    record_event(
        "invitation.resend", by=by, object_type="invitation", object_id=invitation.id
    )
    db.session.flush()
    return token


def revoke_invitation(invitation: Invitation, *, by: User) -> None:
    """Cancel a pending invitation: its link stops working."""
    if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise ServiceError(_("This invitation was already accepted or revoked."))
    invitation.revoked_at = utcnow()
    record_event(
        "invitation.revoke", by=by, object_type="invitation", object_id=invitation.id
    )
    db.session.flush()


def _claim_invitation(invitation: Invitation) -> None:
    """Mark the invitation used, atomically: a second acceptance finds nothing to claim."""
    if invitation.status is not InvitationStatus.PENDING:
        raise ServiceError(_("This invitation can no longer be used."), status=410)
    result = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ServiceError(_("This invitation can no longer be used."), status=410)
    db.session.refresh(invitation)


def accept_invitation_new_account(
    invitation: Invitation, *, display_name: str, password: str, locale: str
) -> User:
    """Create the invited person's account and membership."""
    _claim_invitation(invitation)
    user = create_user(
        email=invitation.email,
        display_name=display_name,
        password=password,
        by=None,
        locale=locale,
    )
    _join(invitation, user)
    return user


def accept_invitation_existing_account(invitation: Invitation, *, user: User) -> None:
    """Add a network to an existing account that accepted an invitation."""
    if user.email != invitation.email:
        raise ServiceError(
            _("This invitation was sent to another email address."), status=403
        )
    _claim_invitation(invitation)
    _join(invitation, user)


def _join(invitation: Invitation, user: User) -> None:
    invitation.accepted_by_id = user.id
    if not any(m.network_id == invitation.network_id for m in user.memberships):
        membership = Membership(
            user=user, network_id=invitation.network_id, role=invitation.role
        )
        db.session.add(membership)
        db.session.flush()
        record_event(
            "membership.create",
            by=user,
            object_type="membership",
            object_id=membership.id,
            user_id=user.id,
            network_id=invitation.network_id,
            role=invitation.role,
            invitation_id=invitation.id,
        )
    record_event(
        "invitation.accept", by=user, object_type="invitation", object_id=invitation.id
    )
    db.session.flush()


# --- Passwords -----------------------------------------------------------------


def request_password_reset(email: str) -> tuple[User, str] | None:
    """A reset token for the active account with this email, or None (said to nobody)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    token, token_hash = _new_token()
    reset = PasswordReset(
        user=user,
        token_hash=token_hash,
        expires_at=utcnow() + timedelta(hours=current_app.config["RESET_VALID_HOURS"]),
    )
    db.session.add(reset)
    db.session.flush()
    record_event(
        "user.password_reset_request", by=None, object_type="user", object_id=user.id
    )
    return user, token


def find_password_reset(token: str) -> PasswordReset | None:
    """The reset with this token (usable or not), or None."""
    return db.session.scalar(
        sa.select(PasswordReset).filter_by(token_hash=hash_token(token))
    )


def reset_password(reset: PasswordReset, new_password: str) -> User:
    """Set a new password from a reset link; the link and every session end."""
    if not reset.is_usable:
        raise ServiceError(_("This link has expired or was already used."), status=410)
    result = db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ServiceError(_("This link has already been used."), status=410)
    user = reset.user
    user.password_hash = hash_password(new_password)
    end_sessions(user)
    _retire_reset_links(user)
    record_event("user.password_reset", by=user, object_type="user", object_id=user.id)
    db.session.flush()
    return user


def _retire_reset_links(user: User) -> None:
    """Once the password changed, no link asked for before can change it again."""
    db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password; my other sessions and reset links end."""
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("Your current password is not correct."), status=400)
    user.password_hash = hash_password(new)
    end_sessions(user, keep=user.session_key)
    _retire_reset_links(user)
    record_event("user.password_change", by=user, object_type="user", object_id=user.id)
    db.session.flush()


def update_profile(user: User, *, display_name: str, locale: str) -> None:
    """Change one's own name and language."""
    diff = changes(user, {"display_name": display_name.strip(), "locale": locale})
    if diff:
        record_event(
            "user.update", by=user, object_type="user", object_id=user.id, **diff
        )
    db.session.flush()


def set_language(user: User, locale: str) -> None:
    """Remember the interface language a person chose."""
    user.locale = locale
    db.session.flush()


# --- Staff: people -------------------------------------------------------------


def update_person(
    user: User, *, display_name: str, is_admin: bool, is_board: bool, by: User
) -> None:
    """Staff change someone's name and platform roles."""
    if user.id == by.id and not is_admin:
        raise ServiceError(_("You cannot remove your own staff role."), status=400)
    diff = changes(
        user,
        {
            "display_name": display_name.strip(),
            "is_admin": is_admin,
            "is_board": is_board,
        },
    )
    if diff:
        action = (
            "user.role_change"
            if {"is_admin", "is_board"} & diff.keys()
            else "user.update"
        )
        record_event(action, by=by, object_type="user", object_id=user.id, **diff)
    db.session.flush()


def set_person_active(user: User, active: bool, *, by: User) -> None:
    """Deactivate (ending every session) or reactivate an account."""
    if user.id == by.id:
        raise ServiceError(_("You cannot deactivate your own account."), status=400)
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        end_sessions(user)
    record_event(
        "user.reactivate" if active else "user.deactivate",
        by=by,
        object_type="user",
        object_id=user.id,
        is_active=[not active, active],
    )
    db.session.flush()


def add_membership(
    user: User, network: Network, role: MembershipRole, *, by: User | None
) -> Membership:
    """Staff make someone a representative of a network."""
    if any(m.network_id == network.id for m in user.memberships):
        raise ServiceError(
            _(
                "%(name)s already represents %(network)s.",
                name=user.display_name,
                network=network.name,
            )
        )
    membership = Membership(user=user, network=network, role=role)
    db.session.add(membership)
    db.session.flush()
    record_event(
        "membership.create",
        by=by,
        object_type="membership",
        object_id=membership.id,
        user_id=user.id,
        network_id=network.id,
        role=role,
    )
    return membership


def change_membership_role(
    membership: Membership, role: MembershipRole, *, by: User
) -> None:
    """Staff switch a membership between representative and coordinator."""
    if membership.role is role:
        return
    record_event(
        "membership.role_change",
        by=by,
        object_type="membership",
        object_id=membership.id,
        user_id=membership.user_id,
        network_id=membership.network_id,
        role=[membership.role, role],
    )
    membership.role = role
    db.session.flush()


def remove_membership(membership: Membership, *, by: User) -> None:
    """Staff end someone's representation of a network."""
    record_event(
        "membership.delete",
        by=by,
        object_type="membership",
        object_id=membership.id,
        user_id=membership.user_id,
        network_id=membership.network_id,
        role=membership.role,
    )
    db.session.delete(membership)
    db.session.flush()
