import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from advocacy.blueprints.workspace import bp
from advocacy.blueprints.workspace.forms import NetworkInviteForm
from advocacy.extensions import db
from advocacy.mail import send_invitation
from advocacy.models import (
    Invitation,
    InvitationStatus,
    Membership,
    Network,
    Position,
    PositionState,
    utcnow,
)
from advocacy.permissions import (
    can_invite_to,
    can_manage_invitation,
    can_view_network_members,
    member_required,
)
from advocacy.services import ServiceError, accounts
from advocacy.web import flash_invitation_sent, refuse_on_field, safe_next


@bp.get("/")
@member_required
def index():
    """My workspace: the networks I represent."""
    memberships = db.session.scalars(
        sa.select(Membership)
        .filter_by(user_id=current_user.id)
        .options(selectinload(Membership.network))
    ).all()
    memberships.sort(key=lambda m: m.network.name.lower())
    now = utcnow()
    open_calls = db.session.scalars(
        sa.select(Position)
        .where(
            sa.or_(
                sa.and_(
                    Position.state == PositionState.CONSULTATION,
                    Position.consultation_closes_at > now,
                ),
                sa.and_(
                    Position.state == PositionState.VOTE, Position.vote_closes_at > now
                ),
            )
        )
        .options(selectinload(Position.lead_network))
        .order_by(
            sa.func.coalesce(Position.vote_closes_at, Position.consultation_closes_at)
        )
        .limit(20)
    ).all()
    return render_template(
        "workspace/index.html", memberships=memberships, open_calls=open_calls, now=now
    )


def _network_or_404(slug: str) -> Network:
    network = db.session.scalar(sa.select(Network).filter_by(slug=slug))
    if network is None:
        abort(404)
    return network


@bp.route("/networks/<slug>", methods=["GET", "POST"])
@member_required
def network(slug: str):
    """A network's representatives, and for its coordinators, inviting colleagues."""
    network = _network_or_404(slug)
    if not can_view_network_members(current_user, network):
        abort(403)
    form = NetworkInviteForm()
    status = 200
    if request.method == "POST":
        if not can_invite_to(current_user, network):
            abort(403)
        status = 400
        if form.validate_on_submit():
            try:
                invitation, token = accounts.invite_person(
                    email=form.email.data,
                    network=network,
                    role=form.role.data,
                    by=current_user,
                )
            except ServiceError as exc:
                status = refuse_on_field(form.email, exc)
            else:
                db.session.commit()
                flash_invitation_sent(
                    send_invitation(invitation, token), invitation.email
                )
                return redirect(url_for("workspace.network", slug=network.slug))
    members = db.session.scalars(
        sa.select(Membership)
        .filter_by(network_id=network.id)
        .options(selectinload(Membership.user))
    ).all()
    members.sort(key=lambda m: m.user.display_name.lower())
    pending = db.session.scalars(
        sa.select(Invitation)
        .where(
            Invitation.network_id == network.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at.desc())
    ).all()
    return (
        render_template(
            "workspace/network.html",
            network=network,
            members=members,
            invitations=pending,
            form=form,
            InvitationStatus=InvitationStatus,
            now=utcnow(),
        ),
        status,
    )


def _invitation_or_404(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _back(invitation: Invitation):
    return redirect(
        safe_next(request.form.get("next"))
        or url_for("workspace.network", slug=invitation.network.slug)
    )


@bp.post("/invitations/<int:invitation_id>/resend")
@member_required
def resend_invitation(invitation_id: int):
    """Send an invitation again with a fresh link."""
    invitation = _invitation_or_404(invitation_id)
    if not can_manage_invitation(current_user, invitation):
        abort(403)
    token = accounts.resend_invitation(invitation, by=current_user)
    db.session.commit()
    flash_invitation_sent(send_invitation(invitation, token), invitation.email)
    return _back(invitation)


@bp.post("/invitations/<int:invitation_id>/revoke")
@member_required
def revoke_invitation(invitation_id: int):
    """Withdraw a pending invitation."""
    invitation = _invitation_or_404(invitation_id)
    if not can_manage_invitation(current_user, invitation):
        abort(403)
    accounts.revoke_invitation(invitation, by=current_user)
    db.session.commit()
    flash(
        _("The invitation to %(email)s was revoked.", email=invitation.email), "success"
    )
    return _back(invitation)
