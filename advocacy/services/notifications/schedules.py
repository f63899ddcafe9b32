"""What commands do on a schedule: daily digests and the reminders before a close.

Both can run any number of times: a digest marks what it carries, a reminder is
made once per person and deadline.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from advocacy.extensions import db
from advocacy.links import path_for
from advocacy.models import (
    Amendment,
    AmendmentStatus,
    Ballot,
    Comment,
    EligibleNetwork,
    Membership,
    Network,
    Position,
    PositionState,
    User,
    utcnow,
)
from advocacy.models.notifications import (
    DEFAULT_DELIVERY,
    Category,
    Delivery,
    Notification,
    NotificationPreference,
    NotificationRead,
    OutboxMessage,
)
from advocacy.queries.votes import current_motions
from advocacy.services.notifications.delivery import tell
from advocacy.services.notifications.rules import (
    _base,
    _position_link,
    representatives_of,
)


def make_digests(now: datetime | None = None) -> int:
    """One message per person with unread news in their digest categories; returns how many.

    What a digest carries is marked at once (a person's own notifications by
    ``mailed_at``, the broadcasts by their ``broadcasts_mailed_through`` marker),
    so running it again sends nothing twice.
    """
    now = now or utcnow()
    by_user: dict[int, list[tuple[int, Category]]] = {}
    for notification_id, user_id, category in db.session.execute(
        sa.select(Notification.id, Notification.user_id, Notification.category).where(
            Notification.user_id.is_not(None),
            Notification.read_at.is_(None),
            Notification.mailed_at.is_(None),
        )
    ):
        by_user.setdefault(user_id, []).append((notification_id, category))
    latest, broadcasts = _unmailed_broadcasts(by_user)
    if not by_user:
        return 0
    chosen = {
        (p.user_id, p.category): p.delivery
        for p in db.session.scalars(
            sa.select(NotificationPreference).where(
                NotificationPreference.user_id.in_(list(by_user))
            )
        )
    }
    users = {
        u.id: u
        for u in db.session.scalars(
            sa.select(User).where(User.id.in_(list(by_user)), User.is_active.is_(True))
        )
    }
    made = 0
    for user_id, items in by_user.items():
        wanted = [
            n
            for n, category in items
            if chosen.get((user_id, category), DEFAULT_DELIVERY[category])
            is Delivery.DIGEST
        ]
        if not wanted or user_id not in users:
            continue
        db.session.add(
            OutboxMessage(
                user_id=user_id,
                digest=wanted,
                to_address=users[user_id].email,
                subject="",
                next_attempt_at=now,
            )
        )
        db.session.execute(
            sa.update(Notification)
            .where(Notification.id.in_(wanted), Notification.user_id.is_not(None))
            .values(mailed_at=now)
        )
        made += 1
    if broadcasts:
        db.session.execute(
            sa.update(User)
            .where(User.broadcasts_mailed_through < latest)
            .values(broadcasts_mailed_through=latest)
        )
    db.session.flush()
    return made


def _unmailed_broadcasts(by_user: dict) -> tuple[int, list]:
    """Add to ``by_user`` the broadcasts each member has neither read nor had in a
    digest; returns the latest broadcast's id and the broadcasts considered."""
    latest = db.session.scalar(
        sa.select(sa.func.max(Notification.id)).where(Notification.user_id.is_(None))
    )
    if not latest:
        return 0, []
    members = db.session.execute(
        sa.select(
            User.id,
            User.created_at,
            User.broadcasts_read_through,
            User.broadcasts_mailed_through,
        ).where(
            User.is_active.is_(True),
            User.broadcasts_mailed_through < latest,
            User.id.in_(
                sa.select(Membership.user_id)
                .join(Network, Network.id == Membership.network_id)
                .where(Network.is_active.is_(True))
            ),
        )
    ).all()
    if not members:
        return latest, []
    oldest = min(m.broadcasts_mailed_through for m in members)
    broadcasts = db.session.execute(
        sa.select(
            Notification.id,
            Notification.category,
            Notification.created_at,
            Notification.actor_id,
        )
        .where(Notification.user_id.is_(None), Notification.id > oldest)
        .order_by(Notification.id)
    ).all()
    read: dict[int, set[int]] = {}
    for user_id, notification_id in db.session.execute(
        sa.select(NotificationRead.user_id, NotificationRead.notification_id).where(
            NotificationRead.notification_id > oldest
        )
    ):
        read.setdefault(user_id, set()).add(notification_id)
    for member in members:
        done = max(member.broadcasts_read_through, member.broadcasts_mailed_through)
        mine = read.get(member.id, set())
        for b in broadcasts:
            if (
                b.id > done
                and b.id not in mine
                and b.created_at >= member.created_at
                and b.actor_id != member.id
            ):
                by_user.setdefault(member.id, []).append((b.id, b.category))
    return latest, broadcasts


def _not_yet(network_ids: set[int], position: Position, category, kind, closes, link):
    made = 0
    for network_id in sorted(network_ids):
        network = db.session.get(Network, network_id)
        if network is None or not network.is_active:
            continue
        made += tell(
            representatives_of([network_id]),
            category=category,
            kind=kind,
            payload={
                **_base(position),
                "closes": closes.isoformat(),
                "network": network.name,
            },
            link=link,
            once_key=f"{kind}:{position.id}:{closes.isoformat()}",
        )
    return made


def send_reminders(now: datetime | None = None) -> int:
    """Remind, 48 hours before a close, the networks that have not taken part yet;
    and, once a consultation has closed, its lead of the amendments to decide.

    Each reminder is made once per person and deadline (a later deadline, after
    an extension, gets its own).
    """
    now = now or utcnow()
    soon = now + timedelta(hours=current_app.config["REMINDER_HOURS"])
    made = 0
    active = sa.select(Network.id).where(Network.is_active.is_(True))
    for position in db.session.scalars(
        sa.select(Position).where(
            Position.state == PositionState.CONSULTATION,
            Position.consultation_closes_at > now,
            Position.consultation_closes_at <= soon,
        )
    ):
        took_part = set(
            db.session.scalars(
                sa.union(
                    sa.select(Comment.network_id).where(
                        Comment.position_id == position.id,
                        Comment.network_id.is_not(None),
                    ),
                    sa.select(Amendment.network_id).where(
                        Amendment.position_id == position.id
                    ),
                )
            )
        )
        silent = set(db.session.scalars(active)) - took_part
        made += _not_yet(
            silent,
            position,
            Category.CONSULTATION,
            "consultation_closing",
            position.consultation_closes_at,
            _position_link(position.id),
        )
    for position in db.session.scalars(
        sa.select(Position).where(
            Position.state == PositionState.VOTE,
            Position.vote_closes_at > now,
            Position.vote_closes_at <= soon,
        )
    ):
        motions = db.session.scalars(current_motions(position)).all()
        eligible = set(
            db.session.scalars(
                sa.select(EligibleNetwork.network_id).filter_by(position_id=position.id)
            )
        )
        complete = set(
            db.session.scalars(
                sa.select(Ballot.network_id)
                .where(Ballot.motion_id.in_([m.id for m in motions]))
                .group_by(Ballot.network_id)
                .having(sa.func.count(sa.distinct(Ballot.motion_id)) == len(motions))
            )
        )
        made += _not_yet(
            eligible - complete,
            position,
            Category.VOTES,
            "vote_closing",
            position.vote_closes_at,
            path_for("positions.vote", position_id=position.id),
        )
    made += _remind_decisions(now)
    db.session.flush()
    return made


def _remind_decisions(now: datetime) -> int:
    """The consultation has closed: its lead decides on the amendments still
    filed (to the vote, integrated, declined) before opening the vote."""
    made = 0
    waiting = dict(
        db.session.execute(
            sa.select(Position.id, sa.func.count(Amendment.id))
            .join(Amendment, Amendment.position_id == Position.id)
            .where(
                Position.state == PositionState.CONSULTATION,
                Position.consultation_closes_at <= now,
                Amendment.status == AmendmentStatus.FILED,
            )
            .group_by(Position.id)
        ).all()
    )
    for position_id, count in sorted(waiting.items()):
        position = db.session.get(Position, position_id)
        made += tell(
            representatives_of([position.lead_network_id]),
            category=Category.CONSULTATION,
            kind="amendments_to_decide",
            payload={**_base(position), "count": count},
            link=path_for("positions.amendments", position_id=position.id),
            once_key=(
                f"amendments_to_decide:{position.id}:"
                f"{position.consultation_closes_at.isoformat()}"
            ),
        )
    return made
