"""My notifications, my email choices, and unsubscribing from an email's link."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from advocacy import fragments
from advocacy.blueprints.notifications import bp
from advocacy.blueprints.notifications.forms import HINT, MarkReadForm, PreferencesForm
from advocacy.extensions import csrf, db
from advocacy.models import User
from advocacy.models.notifications import Category, Delivery, Notification
from advocacy.permissions import can_read_notification, member_required
from advocacy.queries import notifications as told
from advocacy.services import notifications as service
from advocacy.services.outbox import DIGEST, read_unsubscribe_token
from advocacy.web import get_page, peek, safe_next


@bp.get("/")
@member_required
def index():
    """My notifications, newest first; the unread ones marked."""
    # a page and whether there is another: counting all a person was ever told
    # would cost more than the page
    per_page = current_app.config["PER_PAGE"]
    up_to = get_page() * per_page + 1  # this page, and whether there is another
    pagination = peek(told.told(current_user, up_to), per_page)
    unread = told.unread_among(current_user, pagination.items)
    # a notification never changes once told: the page changes with what is read
    items = fragments.kept_one(
        fragments.key(
            "notifications", [(n.id, n.id in unread) for n in pagination.items]
        ),
        lambda: render_template(
            "notifications/_items.html",
            notifications=pagination.items,
            unread=unread,
            describe=service.describe,
        ),
    )
    return render_template(
        "notifications/index.html",
        pagination=pagination,
        items=items,
        form=MarkReadForm(),
    )


def _my_notification(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or not can_read_notification(current_user, notification):
        abort(404, description=_("There is no such notification."))
    return notification


def _target(notification: Notification) -> str:
    return safe_next(notification.link) or url_for("notifications.index")


@bp.get("/<int:notification_id>")
@member_required
def show_notification(notification_id: int):
    """Go to what a notification is about (reading a page changes nothing)."""
    return redirect(_target(_my_notification(notification_id)))


@bp.post("/<int:notification_id>")
@member_required
def open_notification(notification_id: int):
    """Mark a notification read and go to what it is about."""
    notification = _my_notification(notification_id)
    if not MarkReadForm().validate_on_submit():
        abort(400)
    service.mark_read(current_user, notification)
    db.session.commit()
    return redirect(_target(notification))


@bp.post("/read")
@member_required
def mark_all_read():
    """Mark all my notifications as read."""
    if not MarkReadForm().validate_on_submit():
        abort(400)
    count = service.mark_read(current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d notification marked as read.",
            "%(num)d notifications marked as read.",
            count,
        )
        if count
        else _("Nothing was unread."),
        "success",
    )
    return redirect(url_for("notifications.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@member_required
def preferences():
    """How I want to hear of each category: at once, in the daily digest, or never."""
    form = PreferencesForm()
    if request.method == "GET":
        chosen = {
            c: service.deliveries([current_user.id], c)[current_user.id]
            for c in Category
        }
        for category, delivery in chosen.items():
            getattr(form, category.value).data = delivery
    elif form.validate_on_submit():
        service.set_deliveries(current_user, form.choices())
        db.session.commit()
        flash(_("Your choices were saved."), "success")
        return redirect(url_for("notifications.preferences"))
    status = 400 if form.errors else 200
    return render_template(
        "notifications/preferences.html", form=form, hint=HINT
    ), status


def _unsubscribe_target(token: str):
    found = read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if user is None:
        abort(
            404,
            description=_(
                "This unsubscribe link is not valid. Change your choices from your"
                " notification settings instead."
            ),
        )
    return user, found[1]


@bp.get("/unsubscribe/<token:token>")
def unsubscribe(token: str):
    """Confirm stopping a category of emails (no sign-in needed)."""
    user, category = _unsubscribe_target(token)
    return render_template(
        "notifications/unsubscribe.html",
        token=token,
        label=_("the daily digest") if category == DIGEST else Category(category).label,
        done=False,
    )


@bp.post("/unsubscribe/<token:token>")
@csrf.exempt  # the signed link is the credential; mail clients post it (RFC 8058)
def unsubscribe_confirm(token: str):
    """Stop a category of emails: from the page, or a mail client's one-click POST."""
    user, category = _unsubscribe_target(token)
    if category == DIGEST:
        current = {c: service.deliveries([user.id], c)[user.id] for c in Category}
        choices = {
            c: Delivery.NEVER for c, d in current.items() if d is Delivery.DIGEST
        }
        label = _("the daily digest")
    else:
        choices = {Category(category): Delivery.NEVER}
        label = Category(category).label
    service.set_deliveries(user, choices)
    db.session.commit()
    return render_template(
        "notifications/unsubscribe.html", token=token, label=label, done=True
    )
