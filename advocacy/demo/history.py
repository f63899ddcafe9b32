"""The demo's past is shown in the app, not emailed."""

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import Position


def quiet_demo_history() -> None:
    """The demo's past is shown in the app, not emailed.

    Its notifications are marked as mailed (no digest of two years of history)
    and read, but those about what is open now; nothing waits in the outbox.
    The demo accounts then get every new notification by email at once, so that
    a person trying the app finds them in ``instance/outbox/``.
    """
    from advocacy.demo.people import DEMO_DOMAIN
    from advocacy.models import (
        Category,
        Delivery,
        Notification,
        NotificationPreference,
        OutboxMessage,
        PositionState,
        User,
        utcnow,
    )

    now = utcnow()
    open_now = sa.select(Position.id).where(
        Position.state.in_([PositionState.CONSULTATION, PositionState.VOTE])
    )
    db.session.execute(sa.delete(OutboxMessage))
    db.session.execute(
        sa.update(Notification)
        .where(Notification.mailed_at.is_(None))
        .values(mailed_at=now)
    )
    paths = [f"/positions/{i}" for i in db.session.scalars(open_now)]
    paths += [f"{p}/vote" for p in paths]
    db.session.execute(
        sa.update(Notification)
        .where(
            Notification.user_id.is_not(None),
            Notification.read_at.is_(None),
            Notification.link.not_in(paths),
        )
        .values(read_at=now)
    )
    _quiet_broadcasts(paths)
    chosen = set(
        db.session.execute(
            sa.select(NotificationPreference.user_id, NotificationPreference.category)
        ).all()
    )
    for user_id in db.session.scalars(
        sa.select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))
    ):
        for category in Category:
            if (user_id, category) not in chosen:
                db.session.add(
                    NotificationPreference(
                        user_id=user_id, category=category, delivery=Delivery.IMMEDIATE
                    )
                )


def _quiet_broadcasts(open_paths: list[str]) -> None:
    """Every member has had the broadcasts in a digest and read them, but those
    about what is open now."""
    from advocacy.models import Notification, NotificationRead, User

    broadcasts = db.session.execute(
        sa.select(Notification.id, Notification.link)
        .where(Notification.user_id.is_(None))
        .order_by(Notification.id)
    ).all()
    if not broadcasts:
        return
    latest = broadcasts[-1].id
    still_open = [b.id for b in broadcasts if b.link in open_paths]
    through = (min(still_open) - 1) if still_open else latest
    db.session.execute(
        sa.update(User).values(
            broadcasts_mailed_through=latest, broadcasts_read_through=through
        )
    )
    read_later = [b.id for b in broadcasts if b.id > through and b.id not in still_open]
    db.session.execute(sa.delete(NotificationRead))
    users = db.session.scalars(sa.select(User.id)).all()
    if read_later:
        db.session.execute(
            sa.insert(NotificationRead),
            [{"user_id": u, "notification_id": n} for u in users for n in read_later],
        )
