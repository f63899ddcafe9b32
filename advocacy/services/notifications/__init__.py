"""Who hears of what, and how: notifications made from the audit events.

Split by job: ``texts`` (how each notification reads), ``rules`` (who hears of
each audit event: a registry, one rule per event), ``delivery`` (notifications
in the app and emails in the outbox, read markers, email choices) and
``schedules`` (digests and reminders, run by commands). ``init_app`` makes the
rules listen to the audit log.
"""

from advocacy.services.notifications.delivery import (
    deliveries,
    mark_read,
    set_deliveries,
    tell,
    unread_count,
)
from advocacy.services.notifications.rules import RULES, on_event
from advocacy.services.notifications.schedules import make_digests, send_reminders
from advocacy.services.notifications.texts import describe

__all__ = [
    "RULES",
    "deliveries",
    "describe",
    "init_app",
    "make_digests",
    "mark_read",
    "on_event",
    "send_reminders",
    "set_deliveries",
    "tell",
    "unread_count",
]


def init_app(_app) -> None:
    """Make the notification rules listen to every audit event (once)."""
    from advocacy.services import audit

    if on_event not in audit.LISTENERS:
        audit.LISTENERS.append(on_event)
