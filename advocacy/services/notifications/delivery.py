"""Telling people, and what they read: notifications in the app, emails in the outbox.

A notification is shown in the app; if its person wants that category by email
at once, an outbox row is written in the same transaction too — the request
never talks to a mail server, and a rolled-back change tells nobody.
"""

import logging
from collections.abc import Iterable

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import AuditEvent, User, utcnow
from advocacy.models.notifications import (
    DEFAULT_DELIVERY,
    MEMBERS,
    Category,
    Delivery,
    Notification,
    NotificationPreference,
    NotificationRead,
    OutboxMessage,
)
from advocacy.queries import notifications as told

logger = logging.getLogger(__name__)


def deliveries(user_ids: Iterable[int], category: Category) -> dict[int, Delivery]:
    """Each person's choice for ``category`` (the default where they made none)."""
    user_ids = list(user_ids)
    chosen = dict(
        db.session.execute(
            sa.select(
                NotificationPreference.user_id, NotificationPreference.delivery
            ).where(
                NotificationPreference.user_id.in_(user_ids),
                NotificationPreference.category == category,
            )
        ).all()
    )
    return {u: chosen.get(u, DEFAULT_DELIVERY[category]) for u in user_ids}


def tell(
    audience,
    *,
    category: Category,
    kind: str,
    payload: dict,
    link: str,
    event: AuditEvent | None = None,
    once_key: str | None = None,
) -> int:
    """Notify everyone ``audience`` (a select of users) holds, but the actor; returns how many."""
    actor = event.actor_id if event is not None else None
    people = {
        u.id: u for u in db.session.scalars(audience) if u.id != actor and u.is_active
    }
    if once_key and people:
        already = set(
            db.session.scalars(
                sa.select(Notification.user_id).where(
                    Notification.once_key == once_key,
                    Notification.user_id.in_(list(people)),
                )
            )
        )
        for user_id in already:
            people.pop(user_id)
    if not people:
        return 0
    if event is not None and event.id is None:
        db.session.flush()
    now = utcnow()
    how = deliveries(people, category)
    immediate = [u for u in people if how[u] is Delivery.IMMEDIATE]
    rows = [
        {
            "user_id": user_id,
            "category": category,
            "kind": kind,
            "payload": payload,
            "link": link,
            "event_id": event.id if event is not None else None,
            "once_key": once_key,
            "created_at": now,
            "mailed_at": now if user_id in immediate else None,
        }
        for user_id in people
    ]
    made = db.session.scalars(
        sa.insert(Notification).returning(
            Notification.id, sort_by_parameter_order=True
        ),
        rows,
    ).all()
    if immediate:
        ids = dict(zip(people, made, strict=True))
        db.session.execute(
            sa.insert(OutboxMessage),
            [
                {
                    "user_id": user_id,
                    "notification_id": ids[user_id],
                    "to_address": people[user_id].email,
                    "subject": "",
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for user_id in immediate
            ],
        )
    logger.info("%s: %d notified, %d by email", kind, len(people), len(immediate))
    return len(people)


def broadcast(
    *,
    category: Category,
    kind: str,
    payload: dict,
    link: str,
    event: AuditEvent | None = None,
) -> Notification:
    """Tell every member, whatever their number: one row, and for the emails one
    fan-out job that the outbox worker turns into a message per person who wants
    this category at once."""
    if event is not None and event.id is None:
        db.session.flush()
    now = utcnow()
    notification = Notification(
        user_id=None,
        audience=MEMBERS,
        actor_id=event.actor_id if event is not None else None,
        category=category,
        kind=kind,
        payload=payload,
        link=link,
        event_id=event.id if event is not None else None,
        created_at=now,
        mailed_at=now,  # a broadcast's emails are per person, made by the worker
    )
    db.session.add(notification)
    db.session.flush()
    if _anyone_wants_at_once(category):
        db.session.add(
            OutboxMessage(
                user_id=None,
                notification_id=notification.id,
                to_address="",
                subject="",
                next_attempt_at=now,
                created_at=now,
            )
        )
    logger.info("%s: told to every member", kind)
    return notification


def _anyone_wants_at_once(category: Category) -> bool:
    """Whether some member may want this category by email at once."""
    if DEFAULT_DELIVERY[category] is Delivery.IMMEDIATE:
        return True
    return bool(
        db.session.scalar(
            sa.select(NotificationPreference.user_id)
            .where(
                NotificationPreference.category == category,
                NotificationPreference.delivery == Delivery.IMMEDIATE,
            )
            .limit(1)
        )
    )


# --- Reading -----------------------------------------------------------------------


def unread_count(user: User) -> int:
    return told.unread_count(user)


def mark_read(user: User, notification: Notification | None = None) -> int:
    """Mark one notification, or all of them, as read; returns how many were unread."""
    if notification is not None and notification.user_id is None:
        if notification.id not in told.unread_among(user, [notification]):
            return 0
        db.session.add(
            NotificationRead(user_id=user.id, notification_id=notification.id)
        )
        db.session.flush()
        return 1
    stmt = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification is not None:
        stmt = stmt.where(Notification.id == notification.id)
    changed = db.session.execute(stmt.values(read_at=utcnow())).rowcount
    if notification is None:
        changed += _read_every_broadcast(user)
    return changed


def _read_every_broadcast(user: User) -> int:
    """Move the person's marker past the latest broadcast; returns how many it read."""
    unread = told.unread_broadcast_count(user)
    latest = told.latest_broadcast_id()
    if latest > user.broadcasts_read_through:
        user.broadcasts_read_through = latest
        db.session.execute(
            sa.delete(NotificationRead).where(NotificationRead.user_id == user.id)
        )
        db.session.flush()
    return unread


def set_deliveries(user: User, choices: dict[Category, Delivery]) -> None:
    """Save how a person wants to hear of each category."""
    for category, delivery in choices.items():
        row = db.session.get(NotificationPreference, (user.id, category))
        if row is None:
            db.session.add(
                NotificationPreference(
                    user_id=user.id, category=category, delivery=delivery
                )
            )
        else:
            row.delivery = delivery
    db.session.flush()
