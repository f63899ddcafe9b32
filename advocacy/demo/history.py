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
        .where(Notification.read_at.is_(None), Notification.link.not_in(paths))
        .values(read_at=now)
    )
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
