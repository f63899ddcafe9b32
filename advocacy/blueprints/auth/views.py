import json
from types import SimpleNamespace

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from advocacy.blueprints.auth import bp
from advocacy.blueprints.auth.forms import (
    AcceptInvitationForm,
    ConfirmForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    ResetForm,
    ResetRequestForm,
)
from advocacy.extensions import db, limiter
from advocacy.links import site_url
from advocacy.models import InvitationStatus
from advocacy.models.users import normalise_email
from advocacy.permissions import is_member
from advocacy.services import ServiceError, accounts, calendars
from advocacy.services.exports import personal_data
from advocacy.services.outbox import queue_password_reset
from advocacy.web import safe_next


def _login_failed(response) -> bool:
    return response.status_code != 302


def _account_key() -> str:
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def _start_session(user) -> None:
    """A fresh session for a person who just proved who they are (commits)."""
    accounts.start_session(user, user_agent=request.user_agent.string or "")
    db.session.commit()
    session.clear()
    login_user(user)
    session.permanent = True


def _landing(user) -> str:
    return url_for("workspace.index") if is_member(user) else url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    _login_limit,
    methods=["POST"],
    key_func=get_remote_address,
    deduct_when=_login_failed,
    scope="login-address",
)
@limiter.limit(
    _login_limit,
    methods=["POST"],
    key_func=_account_key,
    deduct_when=_login_failed,
    scope="login-account",
)
def login():
    """Sign in with email and password."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data) or _landing(current_user))
    status = 200
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            accounts.record_sign_in(user)
            _start_session(user)
            return redirect(safe_next(form.next.data) or _landing(user))
        form.password.errors.append(
            _("This email address and password do not match an active account.")
        )
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out."""
    if ConfirmForm().validate_on_submit():
        if current_user.is_authenticated:
            accounts.end_session(current_user)
            db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out."), "success")
    return redirect(url_for("public.home"))


@bp.post("/account/sessions/end")
@login_required
def sign_out_everywhere():
    """Sign out on every device and browser, this one included."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ended = accounts.sign_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(
        ngettext(
            "You are signed out everywhere (%(num)d session ended).",
            "You are signed out everywhere (%(num)d sessions ended).",
            ended,
        ),
        "success",
    )
    return redirect(url_for("auth.login"))


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(
    _reset_limit, methods=["POST"], key_func=get_remote_address, scope="reset"
)
def reset_request():
    """Ask for a password-reset link by email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        found = accounts.request_password_reset(form.email.data)
        if found is not None:
            queue_password_reset(*found)
        db.session.commit()
        return render_template("auth/reset_sent.html", email=form.email.data)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/password/reset/<token:token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from an emailed link."""
    reset = accounts.find_password_reset(token)
    if reset is None:
        abort(
            404,
            description=_(
                "This link is not valid. Check that you copied it whole, or ask for a new one."
            ),
        )
    if not reset.is_usable:
        abort(
            410,
            description=_(
                "This link has expired or was already used. Ask for a new one."
            ),
        )
    form = ResetForm()
    form.owner_email, form.owner_name = reset.user.email, reset.user.display_name
    if form.validate_on_submit():
        user = accounts.reset_password(reset, form.password.data)
        _start_session(user)
        flash(_("Your password was changed. You are signed in."), "success")
        return redirect(_landing(user))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form), status


INVITATION_GONE = {
    InvitationStatus.ACCEPTED: _l(
        "This invitation was already accepted. Sign in with your email address and password."
    ),
    InvitationStatus.REVOKED: _l(
        "This invitation was withdrawn. Ask the person who invited you."
    ),
    InvitationStatus.EXPIRED: _l(
        "This invitation has expired. Ask the person who invited you to send it again."
    ),
}


@bp.route("/invitations/<token:token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Accept an invitation to represent a network."""
    invitation = accounts.find_invitation(token)
    if invitation is None:
        abort(
            404,
            description=_(
                "This invitation link is not valid. Check that you copied it whole."
            ),
        )
    if invitation.status is not InvitationStatus.PENDING:
        abort(410, description=str(INVITATION_GONE[invitation.status]))
    existing = accounts.find_user_by_email(invitation.email)
    if existing is not None:
        return _accept_with_existing_account(invitation, existing)
    if current_user.is_authenticated:
        return render_template(
            "auth/invitation_other_account.html", invitation=invitation
        ), 403
    form = AcceptInvitationForm(
        language=request.accept_languages.best_match(current_app.config["LANGUAGES"])
        or "fr"
    )
    form.owner_email = invitation.email
    if form.validate_on_submit():
        user = accounts.accept_invitation_new_account(
            invitation,
            display_name=form.name.data,
            password=form.password.data,
            locale=form.language.data,
        )
        _start_session(user)
        flash(
            _(
                "Welcome! You now represent %(network)s.",
                network=invitation.network.name,
            ),
            "success",
        )
        return redirect(url_for("workspace.index"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "auth/invitation.html", form=form, invitation=invitation
    ), status


def _accept_with_existing_account(invitation, existing):
    if not current_user.is_authenticated:
        return render_template("auth/invitation_sign_in.html", invitation=invitation)
    if current_user.id != existing.id:
        return render_template(
            "auth/invitation_other_account.html", invitation=invitation
        ), 403
    form = ConfirmForm()
    if form.validate_on_submit():
        accounts.accept_invitation_existing_account(invitation, user=current_user)
        db.session.commit()
        flash(
            _("You now represent %(network)s.", network=invitation.network.name),
            "success",
        )
        return redirect(url_for("workspace.index"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "auth/invitation_join.html", form=form, invitation=invitation
    ), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """My account: name, language, password, networks, my data."""
    profile = ProfileForm(name=current_user.display_name, language=current_user.locale)
    password_form = PasswordChangeForm()
    status = 200
    if request.method == "POST":
        if profile.validate_on_submit():
            accounts.update_profile(
                current_user,
                display_name=profile.name.data,
                locale=profile.language.data,
            )
            db.session.commit()
            flash(_("Your account was updated."), "success")
            return redirect(url_for("auth.account"))
        status = 400
    return _render_account(profile, password_form, status)


@bp.post("/account/password")
@login_required
def change_password():
    """Change my password (my other sessions end)."""
    profile = ProfileForm(name=current_user.display_name, language=current_user.locale)
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, form.current_password.data, form.password.data
            )
        except ServiceError as exc:
            db.session.rollback()
            form.current_password.errors.append(exc.message)
            return _render_account(profile, form, 400)
        db.session.commit()
        flash(
            _("Your password was changed. Your other sessions were signed out."),
            "success",
        )
        return redirect(url_for("auth.account"))
    return _render_account(profile, form, 400)


def _render_account(profile, password_form, status):
    memberships = sorted(current_user.memberships, key=lambda m: m.network.name)
    current = accounts.hash_token(current_user.session_key or "")
    sessions = [
        SimpleNamespace(
            created_at=s.created_at,
            user_agent=s.user_agent,
            is_current=s.key_hash == current,
        )
        for s in accounts.open_sessions(current_user)
    ]
    return (
        render_template(
            "auth/account.html",
            profile=profile,
            password_form=password_form,
            memberships=memberships,
            sessions=sessions,
            calendar_url=site_url(
                "public.member_calendar", token=calendars.token_for(current_user)
            ),
        ),
        status,
    )


@bp.post("/account/calendar")
@login_required
def renew_calendar():
    """A new address for my calendar feed; the old one stops answering."""
    calendars.renew(current_user)
    db.session.commit()
    flash(_("Your calendar has a new address: the old one no longer works."), "success")
    return redirect(url_for("auth.account") + "#calendar-title")


@bp.get("/account/export.json")
@login_required
def export_data():
    """Download everything the platform holds about me, as JSON."""
    body = json.dumps(personal_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="porte-voix-my-data.json"'
        },
    )
