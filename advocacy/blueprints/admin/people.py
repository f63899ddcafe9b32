"""Staff pages: people, their roles and memberships, invitations."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from advocacy.blueprints.admin import bp
from advocacy.blueprints.admin.forms import (
    InviteForm,
    MembershipAddForm,
    MembershipRoleForm,
    PersonFilterForm,
    PersonForm,
)
from advocacy.blueprints.admin.views import (
    filters_or_400,
    form_page,
    get_or_404,
)
from advocacy.errors import render_error
from advocacy.extensions import db
from advocacy.forms import choices
from advocacy.models import (
    Membership,
    Network,
    User,
)
from advocacy.parsing import whole_number
from advocacy.queries import audit, people
from advocacy.queries import networks as network_queries
from advocacy.services import ServiceError, accounts
from advocacy.services.outbox import queue_invitation
from advocacy.web import flash_invitation_sent, paginate, refuse_on_field


@bp.get("/people/")
def people_list():
    """Everyone with an account, filtered and paginated."""
    form = PersonFilterForm(request.args)
    failed = filters_or_400(form, "admin/people.html")
    if failed:
        return failed
    stmt = people.filtered(form)
    return render_template("admin/people.html", filters=form, pagination=paginate(stmt))


def _network_choices(exclude: set[int] = frozenset()) -> list[SelectChoice]:
    return choices(
        (i, name) for i, name in network_queries.active_names() if i not in exclude
    )


@bp.route("/people/invite", methods=["GET", "POST"])
def person_invite():
    """Invite a person to represent a network."""
    form = InviteForm()
    form.network.choices = _network_choices()
    if request.method == "GET":
        form.network.data = whole_number(request.args.get("network"))
    if form.validate_on_submit():
        network = get_or_404(Network, form.network.data)
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
    return form_page("admin/invite.html", form)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def person_edit(user_id: int):
    """A person: name, platform roles, memberships, invitations, activity."""
    person = get_or_404(User, user_id)
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
    invitations = people.invitations_to(person.email)
    events = audit.concerning(person)
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
    person = get_or_404(User, user_id)
    accounts.set_person_active(person, False, by=current_user)
    db.session.commit()
    flash(_("%(name)s was deactivated.", name=person.display_name), "success")
    return redirect(url_for("admin.person_edit", user_id=person.id))


@bp.post("/people/<int:user_id>/reactivate")
def person_reactivate(user_id: int):
    """Reactivate an account."""
    person = get_or_404(User, user_id)
    accounts.set_person_active(person, True, by=current_user)
    db.session.commit()
    flash(_("%(name)s was reactivated.", name=person.display_name), "success")
    return redirect(url_for("admin.person_edit", user_id=person.id))


@bp.post("/people/<int:user_id>/memberships")
def membership_add(user_id: int):
    """Make a person a representative of a network."""
    person = get_or_404(User, user_id)
    form = MembershipAddForm()
    form.network.choices = _network_choices()
    if not form.validate_on_submit():
        return _person_page(person, membership_form=form, status=400)
    network = get_or_404(Network, form.network.data)
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
    person = get_or_404(User, user_id)
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
    person = get_or_404(User, user_id)
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


@bp.get("/invitations/")
def invitations_list():
    """Invitations, pending first."""
    show = request.args.get("show", "pending")
    if show not in ("pending", "all"):
        abort(400, description=_("Unknown list: choose pending or all."))
    stmt = people.invitations(pending_only=show == "pending")
    return render_template(
        "admin/invitations.html", pagination=paginate(stmt), show=show
    )


# --- Themes --------------------------------------------------------------------
