from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from advocacy.blueprints.workspace import bp
from advocacy.blueprints.workspace.forms import NetworkInviteForm
from advocacy.extensions import db
from advocacy.models import (
    Invitation,
    InvitationStatus,
    Network,
    utcnow,
)
from advocacy.permissions import (
    can_invite_to,
    can_manage_invitation,
    can_view_network_members,
    is_board,
    member_required,
)
from advocacy.queries import networks as network_queries
from advocacy.queries import notifications as told
from advocacy.queries import people, votes
from advocacy.queries import positions as queries
from advocacy.services import ServiceError, accounts, notifications
from advocacy.services.outbox import queue_invitation
from advocacy.web import (
    flash_invitation_sent,
    peek,
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


@bp.get("/")
@member_required
def index():
    """My workspace: what awaits me and my networks, and what happened in them."""
    me, now = current_user.id, utcnow()
    memberships = people.memberships_of(me)
    # each list shows a page and whether there is another, without counting itself
    positions = peek(
        queries.of_my_networks(me), per_page=LIST_SIZE, param="positions_page"
    )
    consultations = peek(
        queries.open_consultations(now), per_page=LIST_SIZE, param="consultations_page"
    )
    ballots = peek(
        votes.awaiting_ballots(me, now),
        per_page=LIST_SIZE,
        param="votes_page",
        whole_rows=True,
    )
    board_queue = None
    if is_board(current_user):
        board_queue = peek(
            queries.board_queue(), per_page=LIST_SIZE, param="board_page"
        )
    latest = told.latest(current_user)
    activity = peek(
        people.activity_near(me, ACTIVITY), per_page=LIST_SIZE, param="activity_page"
    )
    titles = queries.titles(e.object_id for e in activity.items)
    return render_template(
        "workspace/index.html",
        memberships=memberships,
        positions=positions,
        consultations=consultations,
        ballots=ballots,
        pairs=ballots.items,
        board_queue=board_queue,
        latest=latest,
        unread=told.unread_among(current_user, latest),
        describe=notifications.describe,
        activity=activity,
        activity_labels=ACTIVITY,
        titles=titles,
        now=now,
    )


def _network_or_404(slug: str) -> Network:
    network = network_queries.by_slug(slug)
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
    members = people.members_of(network.id)
    pending = people.pending_invitations_to(network.id)
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
