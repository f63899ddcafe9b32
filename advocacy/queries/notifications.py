"""Reads of what people are told: their own notifications and the broadcasts to
every member, merged, with what is still unread.

A broadcast is shown to a person who is active, represents an active network,
had an account when it was made, and did not do what it tells. It is unread
past the person's marker (``User.broadcasts_read_through``) unless read on its
own (``NotificationRead``). The cost of these reads grows with what one person
is told, never with the number of members.
"""

import functools

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import Membership, Network, User
from advocacy.models.base import UTCDateTime
from advocacy.models.notifications import MEMBERS, Notification, NotificationRead


class _Reader:
    """The person in a statement, as bound parameters: the statements that every
    page reads (the unread count) are built once, then run with these values."""

    id = sa.bindparam("reader_id", type_=sa.Integer)
    created_at = sa.bindparam("reader_created_at", type_=UTCDateTime())
    is_active = sa.bindparam("reader_active", type_=sa.Boolean)
    broadcasts_read_through = sa.bindparam("reader_read_through", type_=sa.Integer)

    @staticmethod
    def values(user: User) -> dict:
        return {
            "reader_id": user.id,
            "reader_created_at": user.created_at,
            "reader_active": bool(user.is_active),
            "reader_read_through": user.broadcasts_read_through,
        }


def _represents_an_active_network(user):
    return sa.exists(
        sa.select(Membership.user_id)
        .join(Network, Network.id == Membership.network_id)
        .where(Membership.user_id == user.id, Network.is_active.is_(True))
    )


def _broadcast_to(user):
    """The clauses of a broadcast this person (a User or ``_Reader``) is told of."""
    active = user.is_active if user is _Reader else sa.literal(bool(user.is_active))
    return sa.and_(
        Notification.user_id.is_(None),
        Notification.audience == MEMBERS,
        Notification.created_at >= user.created_at,
        sa.or_(Notification.actor_id.is_(None), Notification.actor_id != user.id),
        active == sa.true(),
        _represents_an_active_network(user),
    )


def _unread_broadcast(user):
    return sa.and_(
        Notification.id > user.broadcasts_read_through,
        ~sa.exists(
            sa.select(NotificationRead.user_id).where(
                NotificationRead.user_id == user.id,
                NotificationRead.notification_id == Notification.id,
            )
        ),
    )


def told(user: User, up_to: int) -> sa.Select:
    """What a person is told, the latest first, as far as the ``up_to`` latest:
    the latest of their own and the latest broadcasts, each read backwards
    through its index, then merged. (As one ``OR``, every broadcast ever made
    was read and sorted for each page.)"""
    newest = (Notification.created_at.desc(), Notification.id.desc())

    def latest_of(*where):
        return (
            sa.select(Notification.id, Notification.created_at)
            .where(*where)
            .order_by(*newest)
            .limit(up_to)
            .subquery()
        )

    both = sa.union_all(
        sa.select(latest_of(Notification.user_id == user.id)),
        sa.select(latest_of(_broadcast_to(user))),
    ).subquery()
    return (
        sa.select(Notification)
        .join(both, both.c.id == Notification.id)
        .order_by(*newest)
    )


def latest(user: User, count: int = 5) -> list[Notification]:
    """The ``count`` latest of what a person is told."""
    return db.session.scalars(told(user, count).limit(count)).all()


def _unread_broadcasts(user) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(_broadcast_to(user), _unread_broadcast(user))
    )


#: The header shows "99+" past this: the count stops there, so that a person who
#: never reads costs no more than one who does.
UNREAD_SHOWN = 99


@functools.cache
def _unread_count_statement() -> sa.Select:
    def at_most(stmt: sa.Select):
        shown = stmt.limit(UNREAD_SHOWN + 1).subquery()
        return sa.select(sa.func.count()).select_from(shown).scalar_subquery()

    own = sa.select(Notification.id).where(
        Notification.user_id == _Reader.id, Notification.read_at.is_(None)
    )
    broadcasts = sa.select(Notification.id).where(
        _broadcast_to(_Reader), _unread_broadcast(_Reader)
    )
    return sa.select(at_most(own) + at_most(broadcasts))


@functools.cache
def _unread_broadcast_count_statement() -> sa.Select:
    return _unread_broadcasts(_Reader)


def unread_count(user: User) -> int:
    """How many of what a person is told are unread, up to ``UNREAD_SHOWN`` + 1
    (one query, built once)."""
    return min(
        db.session.scalar(_unread_count_statement(), _Reader.values(user)),
        UNREAD_SHOWN + 1,
    )


def unread_broadcast_count(user: User) -> int:
    """How many broadcasts the person has not read."""
    return db.session.scalar(_unread_broadcast_count_statement(), _Reader.values(user))


def latest_broadcast_id() -> int:
    """The id of the latest broadcast (0 if none): a read marker moves up to it."""
    return (
        db.session.scalar(
            sa.select(sa.func.max(Notification.id)).where(
                Notification.user_id.is_(None)
            )
        )
        or 0
    )


def unread_among(user: User, notifications) -> set[int]:
    """The ids of these notifications that the person has not read yet."""
    notifications = list(notifications)
    unread = {n.id for n in notifications if n.user_id is not None and not n.read_at}
    broadcasts = [
        n.id
        for n in notifications
        if n.user_id is None and n.id > user.broadcasts_read_through
    ]
    if broadcasts:
        read = set(
            db.session.scalars(
                sa.select(NotificationRead.notification_id).where(
                    NotificationRead.user_id == user.id,
                    NotificationRead.notification_id.in_(broadcasts),
                )
            )
        )
        unread |= set(broadcasts) - read
    return unread
