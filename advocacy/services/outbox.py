"""The outbox: emails written with the change they tell of, sent by a worker.

``send_due`` takes the messages that are due, oldest first, a few at a time;
on PostgreSQL it locks them with ``FOR UPDATE SKIP LOCKED``, so several workers
share the work and each message goes out once (on SQLite, run one worker). A
message is marked sent only once the server accepted it. When the server cannot
be reached, the batch waits and is tried again later, with a growing delay; a
refused recipient is recorded and the others still go; after
``OUTBOX_MAX_ATTEMPTS`` tries a message is given up, its last error kept.
"""

import email.policy
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from advocacy import mail
from advocacy.extensions import db
from advocacy.links import site_url
from advocacy.models import Membership, Network, User, utcnow
from advocacy.models.notifications import (
    DEFAULT_DELIVERY,
    Category,
    Delivery,
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
)
from advocacy.services.notifications import describe

logger = logging.getLogger(__name__)

#: The category of a digest's one-click unsubscribe: every digest category.
DIGEST = "digest"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(user_id: int, category: str) -> str:
    return _serializer().dumps([user_id, category])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The person and category a link was made for, or None if it was not ours."""
    try:
        user_id, category = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    valid = {c.value for c in Category} | {DIGEST}
    if not isinstance(user_id, int) or category not in valid:
        return None
    return user_id, category


def _render(message: OutboxMessage) -> bytes:
    """The email, in its person's language, with its one-click unsubscribe."""
    user = db.session.get(User, message.user_id)
    if message.digest:
        notifications = db.session.scalars(
            sa.select(Notification)
            .where(Notification.id.in_(message.digest))
            .order_by(Notification.category, Notification.created_at)
        ).all()
        category = DIGEST
    else:
        notifications = [db.session.get(Notification, message.notification_id)]
        category = notifications[0].category.value
    token = unsubscribe_token(user.id, category)
    unsubscribe = site_url("notifications.unsubscribe", token=token)
    with force_locale(user.locale):
        items = [(describe(n), _site(n.link), n.category) for n in notifications]
        if message.digest:
            groups = []
            for c in Category:
                entries = [(text, link) for text, link, cat in items if cat is c]
                if entries:
                    groups.append((c, entries))
            subject = _l(
                "Your digest from %(site)s", site=current_app.config["SITE_NAME"]
            )
            template, context = "digest", {"groups": groups, "items": items}
        else:
            text, link, cat = items[0]
            subject = text if len(text) <= 140 else text[:139] + "…"
            template = "notification"
            context = {"text": text, "link": link, "category_label": cat.label}
        built = mail.build_message(
            user.email,
            subject,
            template,
            user.locale,
            user=user,
            unsubscribe=unsubscribe,
            preferences=site_url("notifications.preferences"),
            **context,
        )
    built["List-Unsubscribe"] = f"<{unsubscribe}>"
    built["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.subject = str(built["Subject"])[:300]
    return built.as_bytes(policy=email.policy.SMTP)  # CRLF line ends, as SMTP wants


def queue_email(to: str, subject, template: str, locale: str, **context) -> None:
    """An email that tells no notification (an invitation, a reset link).

    Rendered now, in the caller's transaction, and sent by the worker with the
    outbox's retries; its body, which holds a secret link, is dropped once sent.
    """
    built = mail.build_message(to, subject, template, locale, **context)
    db.session.add(
        OutboxMessage(
            to_address=to,
            subject=str(built["Subject"])[:300],
            raw=built.as_bytes(policy=email.policy.SMTP),
        )
    )
    db.session.flush()


def queue_invitation(invitation, token: str) -> None:
    """Email an invitation link to represent a network."""
    inviter = invitation.invited_by
    queue_email(
        invitation.email,
        _l(
            "You are invited to represent %(network)s on Porte-voix",
            network=invitation.network.name,
        ),
        "invitation",
        inviter.locale if inviter else current_app.config["BABEL_DEFAULT_LOCALE"],
        invitation=invitation,
        inviter=inviter,
        link=site_url("auth.accept_invitation", token=token),
        days=current_app.config["INVITATION_VALID_DAYS"],
    )


def queue_password_reset(user: User, token: str) -> None:
    """Email a password-reset link."""
    queue_email(
        user.email,
        _l("Reset your Porte-voix password"),
        "password_reset",
        user.locale,
        user=user,
        link=site_url("auth.reset_password", token=token),
        hours=current_app.config["RESET_VALID_HOURS"],
    )


def _site(path: str) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + path


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    given_up: int = 0
    errors: list[str] = field(default_factory=list)


def failed_attempt(
    message: OutboxMessage, error: Exception, now: datetime, report: Report
):
    message.attempts += 1
    message.last_error = str(error)[:2000]
    if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        message.status = OutboxStatus.FAILED
        report.given_up += 1
    else:
        message.next_attempt_at = now + _backoff(message.attempts)
        report.retried += 1
    report.errors.append(f"{message.to_address}: {message.last_error}")


def _immediate_recipients(notification: Notification) -> sa.Select:
    """(id, email) of the members a broadcast goes to at once, by email."""
    category = notification.category
    chose = sa.select(NotificationPreference.delivery).where(
        NotificationPreference.user_id == User.id,
        NotificationPreference.category == category,
    )
    wants = (
        sa.or_(
            chose.where(NotificationPreference.delivery == Delivery.IMMEDIATE).exists(),
            ~chose.exists(),
        )
        if DEFAULT_DELIVERY[category] is Delivery.IMMEDIATE
        else chose.where(NotificationPreference.delivery == Delivery.IMMEDIATE).exists()
    )
    members = (
        sa.select(Membership.user_id)
        .join(Network, Network.id == Membership.network_id)
        .where(Network.is_active.is_(True))
    )
    return sa.select(User.id, User.email).where(
        User.is_active.is_(True),
        User.created_at <= notification.created_at,
        User.id != (notification.actor_id or 0),
        User.id.in_(members),
        wants,
    )


def expand_broadcasts(now: datetime | None = None) -> int:
    """Turn each due broadcast job into one message per member who wants it at
    once (a single INSERT … SELECT); returns how many messages were made."""
    now = now or utcnow()
    stmt = sa.select(OutboxMessage).where(
        OutboxMessage.user_id.is_(None),
        OutboxMessage.notification_id.is_not(None),
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.next_attempt_at <= now,
    )
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    made = 0
    for job in db.session.scalars(stmt).all():
        notification = db.session.get(Notification, job.notification_id)
        recipients = _immediate_recipients(notification).subquery()
        table = OutboxMessage.__table__
        # the ids say how many were made: psycopg reports no row count for this
        made += len(
            db.session.execute(
                sa.insert(table)
                .from_select(
                    [
                        "user_id",
                        "notification_id",
                        "to_address",
                        "subject",
                        "status",
                        "attempts",
                        "next_attempt_at",
                        "last_error",
                        "created_at",
                    ],
                    sa.select(
                        recipients.c.id,
                        sa.literal(notification.id),
                        recipients.c.email,
                        sa.literal(""),
                        sa.literal(OutboxStatus.PENDING, table.c.status.type),
                        sa.literal(0),
                        sa.literal(now, table.c.next_attempt_at.type),
                        sa.literal(""),
                        sa.literal(now, table.c.created_at.type),
                    ),
                )
                .returning(table.c.id)
            ).all()
        )
        job.status = OutboxStatus.SENT
        job.sent_at = now
    db.session.commit()
    return made


#: Other senders the worker runs first, each ``(now, batch, postgres, report)``:
#: federation registers the posting of its activities here.
SENDERS: list = []


def send_due(
    now: datetime | None = None, batch: int = 20, limit: int | None = None
) -> Report:
    """Send what is due, batch by batch, until nothing is left (or ``limit`` sent).

    Broadcast jobs are first turned into one message per person."""
    report = Report()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    expand_broadcasts(now)
    for send in SENDERS:
        send(now, batch, postgres, report)
    while limit is None or report.sent < limit:
        moment = now or utcnow()
        stmt = (
            sa.select(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= moment,
                OutboxMessage.to_address != "",  # not a broadcast job
                OutboxMessage.federation_message_id.is_(None),
            )
            .order_by(OutboxMessage.id)
            .limit(batch)
        )
        if postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        messages = db.session.scalars(stmt).all()
        if not messages:
            db.session.commit()
            break
        try:
            transport = mail.open_transport()
        except mail.MailError as exc:  # the server is down: try this batch later
            for message in messages:
                failed_attempt(message, exc, moment, report)
            db.session.commit()
            logger.warning("Outbox: mail server unreachable (%s)", exc)
            break
        with transport:
            for position, message in enumerate(messages):
                try:
                    if message.raw is None:
                        message.raw = _render(message)
                    transport.send(message.to_address, message.raw)
                except mail.RecipientRefused as exc:
                    failed_attempt(message, exc, moment, report)
                    continue
                except mail.MailError as exc:  # the connection broke: stop the batch
                    for rest in messages[position:]:
                        failed_attempt(rest, exc, moment, report)
                    break
                message.status = OutboxStatus.SENT
                message.sent_at = utcnow()
                if message.notification_id is None and message.digest is None:
                    message.raw = None  # it held a secret link
                report.sent += 1
        db.session.commit()
    return report
