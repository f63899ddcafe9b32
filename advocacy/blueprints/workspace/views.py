import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from advocacy.blueprints.workspace import bp
from advocacy.blueprints.workspace.forms import NetworkInviteForm
from advocacy.extensions import db
from advocacy.models import (
    AuditEvent,
    Ballot,
    CoAuthor,
    EligibleNetwork,
    Invitation,
    InvitationStatus,
    Membership,
    Motion,
    Network,
    Notification,
    Position,
    PositionState,
    utcnow,
)
from advocacy.permissions import (
    can_invite_to,
    can_manage_invitation,
    can_view_network_members,
    is_board,
    member_required,
)
from advocacy.services import ServiceError, accounts, notifications
from advocacy.services.outbox import queue_invitation
from advocacy.web import (
    flash_invitation_sent,
    get_page,
    paginate,
    refuse_on_field,
    safe_next,
)

#: How recent activity reads, by audit action.
ACTIVITY = {
    "position.create": _l("started"),
    "position.edit": _l("saved a new version of"),
    "position.restore": _l("restored an earlier version of"),
    "position.coauthor_add": _l("invited a co-author network to"),
    "position.consultation_open": _l("opened the consultation on"),
    "position.consultation_close": _l("closed the consultation on"),
    "position.consultation_extend": _l("extended the consultation on"),
    "position.vote_open": _l("opened the vote on"),
    "position.vote_close": _l("closed the vote on"),
    "position.consolidation": _l("consolidated"),
    "position.submit": _l("submitted to the board"),
    "position.board_outcome": _l("recorded the board's decision on"),
    "position.publish": _l("published"),
    "position.revise": _l("started a new version of"),
    "position.withdraw": _l("withdrew"),
}
LIST_SIZE = 8


def _mine():
    return sa.select(Membership.network_id).where(Membership.user_id == current_user.id)


def _my_positions():
    return sa.select(Position.id).where(
        sa.or_(
            Position.lead_network_id.in_(_mine()),
            Position.id.in_(
                sa.select(CoAuthor.position_id).where(CoAuthor.network_id.in_(_mine()))
            ),
        )
    )


def _awaiting_ballots(now):
    """(position, network) pairs: open votes where one of my networks has not voted on all."""
    current = sa.and_(
        Motion.position_id == Position.id, Motion.opened_at >= Position.vote_opened_at
    )
    motions = sa.select(sa.func.count(Motion.id)).where(current).scalar_subquery()
    cast = (
        sa.select(sa.func.count(sa.distinct(Ballot.motion_id)))
        .join(Motion, Motion.id == Ballot.motion_id)
        .where(current, Ballot.network_id == Network.id)
        .scalar_subquery()
    )
    return (
        sa.select(Position, Network)
        .join(EligibleNetwork, EligibleNetwork.position_id == Position.id)
        .join(Network, Network.id == EligibleNetwork.network_id)
        .where(
            Position.state == PositionState.VOTE,
            Position.vote_closes_at > now,
            Network.id.in_(_mine()),
            cast < motions,
        )
        .order_by(Position.vote_closes_at, Position.id, Network.name)
    )


@bp.get("/")
@member_required
def index():
    """My workspace: what awaits me and my networks, and what happened in them."""
    memberships = db.session.scalars(
        sa.select(Membership)
        .filter_by(user_id=current_user.id)
        .options(joinedload(Membership.network))
    ).all()
    memberships.sort(key=lambda m: m.network.name.lower())
    now = utcnow()
    positions = paginate(
        sa.select(Position)
        .where(Position.id.in_(_my_positions()))
        .options(joinedload(Position.lead_network))
        .order_by(Position.updated_at.desc(), Position.id.desc()),
        per_page=LIST_SIZE,
        param="positions_page",
    )
    consultations = paginate(
        sa.select(Position)
        .where(
            Position.state == PositionState.CONSULTATION,
            Position.consultation_closes_at > now,
        )
        .options(joinedload(Position.lead_network))
        .order_by(Position.consultation_closes_at, Position.id),
        per_page=LIST_SIZE,
        param="consultations_page",
    )
    ballots = db.paginate(
        _awaiting_ballots(now),
        page=get_page("votes_page"),
        per_page=LIST_SIZE,
        error_out=False,
    )
    # db.paginate keeps the first entity only: the pairs are read again, one query
    pairs = db.session.execute(
        _awaiting_ballots(now).limit(LIST_SIZE).offset((ballots.page - 1) * LIST_SIZE)
    ).all()
    board_queue = None
    if is_board(current_user):
        board_queue = paginate(
            sa.select(Position)
            .where(Position.state == PositionState.BOARD_REVIEW)
            .options(joinedload(Position.lead_network))
            .order_by(Position.submitted_at, Position.id),
            per_page=LIST_SIZE,
            param="board_page",
        )
    latest = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(5)
    ).all()
    activity = paginate(
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == "position",
            AuditEvent.object_id.in_(_my_positions()),
            AuditEvent.action.in_(list(ACTIVITY)),
        )
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()),
        per_page=LIST_SIZE,
        param="activity_page",
    )
    titles = dict(
        db.session.execute(
            sa.select(Position.id, Position.title).where(
                Position.id.in_({e.object_id for e in activity.items})
            )
        ).all()
    )
    return render_template(
        "workspace/index.html",
        memberships=memberships,
        positions=positions,
        consultations=consultations,
        ballots=ballots,
        pairs=pairs,
        board_queue=board_queue,
        latest=latest,
        describe=notifications.describe,
        activity=activity,
        activity_labels=ACTIVITY,
        titles=titles,
        now=now,
    )


def _network_or_404(slug: str) -> Network:
    network = db.session.scalar(sa.select(Network).filter_by(slug=slug))
    if network is None:
        abort(404)
    return network


@bp.route("/networks/<slug:slug>", methods=["GET", "POST"])
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
                queue_invitation(invitation, token)
                db.session.commit()
                flash_invitation_sent(invitation.email)
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
    queue_invitation(invitation, token)
    db.session.commit()
    flash_invitation_sent(invitation.email)
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
