from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    AuditFilterForm,
    InviteForm,
    MembershipAddForm,
    MembershipRoleForm,
    ModerationForm,
    NetworkFilterForm,
    PersonFilterForm,
    PersonForm,
    ThemeForm,
)
from advocacy.errors import render_error
from advocacy.extensions import db
from advocacy.forms import NetworkForm, choices
from advocacy.models import (
    AuditEvent,
    Comment,
    CommentReport,
    Invitation,
    Membership,
    MembershipRole,
    Network,
    Theme,
    User,
    utcnow,
)
from advocacy.parsing import whole_number
from advocacy.permissions import staff_required
from advocacy.services import ServiceError, accounts, consultation, networks
from advocacy.services.outbox import queue_invitation
from advocacy.web import contains, flash_invitation_sent, paginate, refuse_on_field


@bp.before_request
@staff_required
def _staff_only():
    """Every page here is for staff."""


@bp.get("/")
def index():
    """The staff dashboard."""
    counts = {
        "networks": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Network)
            .where(Network.is_active.is_(True))
        ),
        "people": db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.is_active.is_(True))
        ),
        "invitations": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .where(*_pending_clauses())
        ),
    }
    return render_template("admin/index.html", counts=counts)


def _get_or_404(model, ident: int):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def _filters_or_400(form, template: str, **context):
    """Validate a filter form read from the query string; a 400 page when it is wrong."""
    if not form.validate():
        return render_template(template, filters=form, pagination=None, **context), 400
    return None


# --- Networks ------------------------------------------------------------------


@bp.get("/networks/")
def networks_list():
    """All networks, filtered and paginated."""
    form = NetworkFilterForm(request.args)
    failed = _filters_or_400(form, "admin/networks.html")
    if failed:
        return failed
    stmt = sa.select(Network).order_by(Network.name, Network.id)
    if form.q.data:
        stmt = stmt.where(contains(Network.name, form.q.data))
    for field in ("family", "department", "kind"):
        value = getattr(form, field).data
        if value is not None:
            stmt = stmt.where(getattr(Network, field) == value)
    if form.status.data != "all":
        stmt = stmt.where(Network.is_active.is_(form.status.data == "active"))
    return render_template(
        "admin/networks.html", filters=form, pagination=paginate(stmt)
    )


@bp.route("/networks/new", methods=["GET", "POST"])
def network_create():
    """Add a network."""
    form = NetworkForm()
    if form.validate_on_submit():
        network = networks.create_network(form.data, by=current_user)
        db.session.commit()
        flash(_("The network %(name)s was created.", name=network.name), "success")
        return redirect(url_for("admin.networks_list"))
    return _form_page("admin/network_form.html", form, network=None)


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
def network_edit(network_id: int):
    """Change a network's details."""
    network = _get_or_404(Network, network_id)
    form = NetworkForm(obj=network)
    if form.validate_on_submit():
        networks.update_network(network, form.data, by=current_user)
        db.session.commit()
        flash(_("The network %(name)s was updated.", name=network.name), "success")
        return redirect(url_for("admin.networks_list"))
    return _form_page("admin/network_form.html", form, network=network)


@bp.post("/networks/<int:network_id>/deactivate")
def network_deactivate(network_id: int):
    """Deactivate a network: it no longer takes part, its history stays."""
    network = _get_or_404(Network, network_id)
    networks.set_network_active(network, False, by=current_user)
    db.session.commit()
    flash(_("The network %(name)s was deactivated.", name=network.name), "success")
    return redirect(url_for("admin.network_edit", network_id=network.id))


@bp.post("/networks/<int:network_id>/reactivate")
def network_reactivate(network_id: int):
    """Reactivate a network."""
    network = _get_or_404(Network, network_id)
    networks.set_network_active(network, True, by=current_user)
    db.session.commit()
    flash(_("The network %(name)s was reactivated.", name=network.name), "success")
    return redirect(url_for("admin.network_edit", network_id=network.id))


# --- People --------------------------------------------------------------------


@bp.get("/people/")
def people_list():
    """Everyone with an account, filtered and paginated."""
    form = PersonFilterForm(request.args)
    failed = _filters_or_400(form, "admin/people.html")
    if failed:
        return failed
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
    return render_template("admin/people.html", filters=form, pagination=paginate(stmt))


def _network_choices(exclude: set[int] = frozenset()) -> list[SelectChoice]:
    rows = db.session.execute(
        sa.select(Network.id, Network.name)
        .where(Network.is_active.is_(True))
        .order_by(Network.name)
    ).all()
    return choices((row.id, row.name) for row in rows if row.id not in exclude)


@bp.route("/people/invite", methods=["GET", "POST"])
def person_invite():
    """Invite a person to represent a network."""
    form = InviteForm()
    form.network.choices = _network_choices()
    if request.method == "GET":
        form.network.data = whole_number(request.args.get("network"))
    if form.validate_on_submit():
        network = _get_or_404(Network, form.network.data)
        try:
            invitation, token = accounts.invite_person(
                email=form.email.data,
                network=network,
                role=form.role.data,
                by=current_user,
            )
        except ServiceError as exc:
            status = refuse_on_field(form.email, exc)
            return render_template("admin/invite.html", form=form), status
        queue_invitation(invitation, token)
        db.session.commit()
        flash_invitation_sent(invitation.email)
        return redirect(url_for("admin.invitations_list"))
    return _form_page("admin/invite.html", form)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def person_edit(user_id: int):
    """A person: name, platform roles, memberships, invitations, activity."""
    person = _get_or_404(User, user_id)
    form = PersonForm(obj=person, name=person.display_name)
    if form.validate_on_submit():
        accounts.update_person(
            person,
            display_name=form.name.data,
            is_admin=form.is_admin.data,
            is_board=form.is_board.data,
            by=current_user,
        )
        db.session.commit()
        flash(_("%(name)s was updated.", name=person.display_name), "success")
        return redirect(url_for("admin.person_edit", user_id=person.id))
    status = 400 if request.method == "POST" else 200
    return _person_page(person, form=form, status=status)


def _person_page(person: User, *, form=None, membership_form=None, status=200):
    membership_form = membership_form or MembershipAddForm()
    taken = {m.network_id for m in person.memberships}
    membership_form.network.choices = _network_choices(exclude=taken)
    invitations = db.session.scalars(
        sa.select(Invitation)
        .filter_by(email=person.email)
        .options(selectinload(Invitation.network))
        .order_by(Invitation.created_at.desc())
    ).all()
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            sa.or_(
                sa.and_(
                    AuditEvent.object_type == "user", AuditEvent.object_id == person.id
                ),
                AuditEvent.actor_id == person.id,
            )
        )
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
        .limit(20)
    ).all()
    return (
        render_template(
            "admin/person.html",
            person=person,
            form=form or PersonForm(obj=person, name=person.display_name),
            membership_form=membership_form,
            role_form=MembershipRoleForm,
            memberships=sorted(person.memberships, key=lambda m: m.network.name),
            invitations=invitations,
            events=events,
        ),
        status,
    )


@bp.post("/people/<int:user_id>/deactivate")
def person_deactivate(user_id: int):
    """Deactivate an account: its sessions end, its history stays."""
    person = _get_or_404(User, user_id)
    accounts.set_person_active(person, False, by=current_user)
    db.session.commit()
    flash(_("%(name)s was deactivated.", name=person.display_name), "success")
    return redirect(url_for("admin.person_edit", user_id=person.id))


@bp.post("/people/<int:user_id>/reactivate")
def person_reactivate(user_id: int):
    """Reactivate an account."""
    person = _get_or_404(User, user_id)
    accounts.set_person_active(person, True, by=current_user)
    db.session.commit()
    flash(_("%(name)s was reactivated.", name=person.display_name), "success")
    return redirect(url_for("admin.person_edit", user_id=person.id))


@bp.post("/people/<int:user_id>/memberships")
def membership_add(user_id: int):
    """Make a person a representative of a network."""
    person = _get_or_404(User, user_id)
    form = MembershipAddForm()
    form.network.choices = _network_choices()
    if not form.validate_on_submit():
        return _person_page(person, membership_form=form, status=400)
    network = _get_or_404(Network, form.network.data)
    try:
        accounts.add_membership(person, network, form.role.data, by=current_user)
    except ServiceError as exc:
        status = refuse_on_field(form.network, exc)
        return _person_page(person, membership_form=form, status=status)
    db.session.commit()
    flash(
        _(
            "%(name)s now represents %(network)s.",
            name=person.display_name,
            network=network.name,
        ),
        "success",
    )
    return redirect(url_for("admin.person_edit", user_id=person.id))


def _membership_of(person: User, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != person.id:
        abort(404)
    return membership


@bp.post("/people/<int:user_id>/memberships/<int:membership_id>/role")
def membership_role(user_id: int, membership_id: int):
    """Switch a membership between representative and coordinator."""
    person = _get_or_404(User, user_id)
    membership = _membership_of(person, membership_id)
    form = MembershipRoleForm()
    if not form.validate_on_submit():
        message = form.role.errors[0] if form.role.errors else None
        return render_error(400, str(message) if message else None)
    accounts.change_membership_role(membership, form.role.data, by=current_user)
    db.session.commit()
    flash(_("The role was changed."), "success")
    return redirect(url_for("admin.person_edit", user_id=person.id))


@bp.post("/people/<int:user_id>/memberships/<int:membership_id>/remove")
def membership_remove(user_id: int, membership_id: int):
    """End a person's representation of a network."""
    person = _get_or_404(User, user_id)
    membership = _membership_of(person, membership_id)
    network_name = membership.network.name
    accounts.remove_membership(membership, by=current_user)
    db.session.commit()
    flash(
        _(
            "%(name)s no longer represents %(network)s.",
            name=person.display_name,
            network=network_name,
        ),
        "success",
    )
    return redirect(url_for("admin.person_edit", user_id=person.id))


# --- Invitations ---------------------------------------------------------------


def _pending_clauses():
    return (
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )


@bp.get("/invitations/")
def invitations_list():
    """Invitations, pending first."""
    show = request.args.get("show", "pending")
    if show not in ("pending", "all"):
        abort(400, description=_("Unknown list: choose pending or all."))
    stmt = (
        sa.select(Invitation)
        .options(selectinload(Invitation.network), selectinload(Invitation.invited_by))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    if show == "pending":
        stmt = stmt.where(*_pending_clauses())
    return render_template(
        "admin/invitations.html", pagination=paginate(stmt), show=show
    )


# --- Themes --------------------------------------------------------------------


@bp.get("/themes/")
def themes_list():
    """The themes of advocacy."""
    themes = db.session.scalars(
        sa.select(Theme).order_by(Theme.sort_order, Theme.id)
    ).all()
    return render_template("admin/themes.html", themes=themes)


@bp.route("/themes/new", methods=["GET", "POST"])
def theme_create():
    """Add a theme."""
    form = ThemeForm()
    if form.validate_on_submit():
        theme = networks.create_theme(form.data, by=current_user)
        db.session.commit()
        flash(_("The theme %(name)s was created.", name=theme.name), "success")
        return redirect(url_for("admin.themes_list"))
    return _form_page("admin/theme_form.html", form, theme=None)


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
def theme_edit(theme_id: int):
    """Change a theme."""
    theme = _get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        networks.update_theme(theme, form.data, by=current_user)
        db.session.commit()
        flash(_("The theme %(name)s was updated.", name=theme.name), "success")
        return redirect(url_for("admin.themes_list"))
    return _form_page("admin/theme_form.html", form, theme=theme)


# --- Audit log -----------------------------------------------------------------


def _day_start_utc(day) -> datetime:
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=tz)


@bp.get("/audit/")
def audit_log():
    """Every recorded change, newest first, filtered and paginated."""
    form = AuditFilterForm(request.args)
    failed = _filters_or_400(form, "admin/audit.html")
    if failed:
        return failed
    stmt = (
        sa.select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if form.actor.data:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            User.email == form.actor.data.lower()
        )
    if form.action.data:
        action = form.action.data
        stmt = stmt.where(
            AuditEvent.action.startswith(action, autoescape=True)
            if action.endswith(".") or "." not in action
            else AuditEvent.action == action
        )
    if form.object_type.data:
        stmt = stmt.where(AuditEvent.object_type == form.object_type.data)
    if form.object_id.data:
        stmt = stmt.where(AuditEvent.object_id == form.object_id.data)
    if form.date_from.data:
        stmt = stmt.where(AuditEvent.created_at >= _day_start_utc(form.date_from.data))
    if form.date_to.data:
        stmt = stmt.where(
            AuditEvent.created_at
            < _day_start_utc(form.date_to.data + timedelta(days=1))
        )
    return render_template("admin/audit.html", filters=form, pagination=paginate(stmt))


# --- Helpers -------------------------------------------------------------------


def _form_page(template: str, form, **context):
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


# --- Moderation ----------------------------------------------------------------


def _moderation_queue():
    reported = (
        sa.select(Comment)
        .where(
            Comment.id.in_(
                sa.select(CommentReport.comment_id).where(
                    CommentReport.resolved_at.is_(None)
                )
            )
            | Comment.hidden_at.is_not(None)
        )
        .options(selectinload(Comment.author), selectinload(Comment.network))
        .order_by(Comment.hidden_at.is_not(None), Comment.id.desc())
    )
    return paginate(reported)


@bp.route("/moderation/", methods=["GET", "POST"])
def moderation():
    """Reported and hidden comments; hide or restore several at once, with a reason."""
    form = ModerationForm()
    pagination = _moderation_queue()
    form.comments.choices = choices((c.id, str(c.id)) for c in pagination.items)
    status = 200
    if request.method == "POST":
        ids = [whole_number(v) for v in request.form.getlist("comments")]
        ids = [i for i in ids if i is not None]
        form.comments.choices = choices((i, str(i)) for i in ids)
        if form.validate_on_submit():
            comments = db.session.scalars(
                sa.select(Comment).where(Comment.id.in_(ids))
            ).all()
            if len(comments) != len(set(ids)):
                abort(404)
            changed = consultation.moderate_comments(
                comments,
                hide=form.action.data == "hide",
                reason=form.reason.data,
                by=current_user,
            )
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d comment was moderated.",
                    "%(num)d comments were moderated.",
                    changed,
                ),
                "success",
            )
            return redirect(url_for("admin.moderation"))
        status = 400
    comment_ids = [c.id for c in pagination.items]
    reports = {}
    if comment_ids:
        for report in db.session.scalars(
            sa.select(CommentReport).where(
                CommentReport.comment_id.in_(comment_ids),
                CommentReport.resolved_at.is_(None),
            )
        ):
            reports.setdefault(report.comment_id, []).append(report)
    return render_template(
        "admin/moderation.html", form=form, pagination=pagination, reports=reports
    ), status
