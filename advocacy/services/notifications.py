"""Who hears of what, and how: notifications made from the audit events.

One place decides who is told of each event (``RULES`` below), called by
``audit.record_event`` in the same transaction as the change. A notification is
shown in the app; if its person wants that category by email at once, an
outbox row is written in the same transaction too — the request never talks to
a mail server, and a rolled-back change tells nobody. Digests and the 48-hour
reminders are made by commands that can run any number of times.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from advocacy.extensions import db
from advocacy.links import path_for
from advocacy.models import (
    Amendment,
    AuditEvent,
    Ballot,
    CoAuthor,
    Comment,
    EligibleNetwork,
    Membership,
    Motion,
    Network,
    Position,
    PositionState,
    Statement,
    User,
    utcnow,
)
from advocacy.models.notifications import (
    DEFAULT_DELIVERY,
    Category,
    Delivery,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from advocacy.services.votes import current_motions

logger = logging.getLogger(__name__)

#: How each kind of notification reads; the payload fills it in.
MESSAGES = {
    "coauthor_invited": _l("%(network)s is now a co-author of “%(title)s”."),
    "consultation_open": _l(
        "The consultation on “%(title)s” is open until %(closes)s."
    ),
    "consultation_closing": _l(
        "The consultation on “%(title)s” closes on %(closes)s, and %(network)s has"
        " neither commented nor proposed an amendment yet."
    ),
    "amendment_decided": _l(
        "The lead network decided on your amendment %(number)s to “%(title)s”:"
        " %(decision)s."
    ),
    "comment_reply": _l("%(network)s replied to your comment on “%(title)s”."),
    "comment_hidden": _l(
        "Your comment on “%(title)s” was hidden by the moderation. Reason: %(reason)s"
    ),
    "vote_open": _l("The vote on “%(title)s” is open until %(closes)s."),
    "vote_closing": _l(
        "The vote on “%(title)s” closes on %(closes)s, and %(network)s has not voted"
        " on every motion yet."
    ),
    "vote_closed": _l("The vote on “%(title)s” is closed: %(result)s."),
    "board_submitted": _l("“%(title)s” was submitted to the board."),
    "board_outcome": _l("The board decided on “%(title)s”: %(outcome)s."),
    "statement_published": _l("“%(title)s” is published."),
}
DECISIONS = {
    "to_vote": _l("put to the vote"),
    "integrated": _l("written into the text"),
    "declined": _l("declined"),
}
OUTCOMES = {
    "approved": _l("approved"),
    "draft": _l("sent back for changes"),
    "rejected": _l("rejected"),
}
RESULTS = {True: _l("the text is adopted"), False: _l("the text is not adopted")}


def describe(notification: Notification) -> str:
    """The notification as a sentence, in the current language."""
    from advocacy.i18n import datetime_filter

    values = dict(notification.payload)
    if values.get("closes"):
        values["closes"] = datetime_filter(
            datetime.fromisoformat(values["closes"]), "deadline"
        )
    if "decision" in values:
        values["decision"] = str(DECISIONS.get(values["decision"], values["decision"]))
    if "outcome" in values:
        values["outcome"] = str(OUTCOMES.get(values["outcome"], values["outcome"]))
    if "passed" in values:
        values["result"] = str(RESULTS[bool(values["passed"])])
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.kind
    return str(template) % _Missing(values)


class _Missing(dict):
    def __missing__(self, key):
        return "…"


# --- Who hears -----------------------------------------------------------------


def members():
    """Active people who represent at least one active network."""
    return sa.select(User).where(
        User.is_active.is_(True),
        User.id.in_(
            sa.select(Membership.user_id)
            .join(Network, Network.id == Membership.network_id)
            .where(Network.is_active.is_(True))
        ),
    )


def representatives_of(network_ids):
    """Active people who represent one of these networks."""
    return sa.select(User).where(
        User.is_active.is_(True),
        User.id.in_(
            sa.select(Membership.user_id).where(Membership.network_id.in_(network_ids))
        ),
    )


def _authors(position: Position) -> list[int]:
    return [position.lead_network_id] + [
        c.network_id
        for c in db.session.scalars(
            sa.select(CoAuthor).filter_by(position_id=position.id)
        )
    ]


def _position_link(position_id: int) -> str:
    return path_for("positions.show", position_id=position_id)


def _base(position: Position) -> dict:
    return {"title": position.title}


def _on_position(event: AuditEvent):
    """Events of a position's lifecycle."""
    position = db.session.get(Position, event.object_id)
    if position is None:
        return
    action = event.action.removeprefix("position.")
    payload, link = _base(position), _position_link(position.id)
    if action == "coauthor_add":
        network = db.session.get(Network, event.payload["network_id"])
        yield (
            representatives_of([network.id]),
            Category.DRAFTING,
            "coauthor_invited",
            {**payload, "network": network.name},
            link,
        )
    elif action == "consultation_open":
        yield (
            members(),
            Category.CONSULTATION,
            "consultation_open",
            {**payload, "closes": event.payload["closes_at"]},
            link,
        )
    elif action == "vote_open":
        yield (
            members(),
            Category.VOTES,
            "vote_open",
            {**payload, "closes": event.payload["closes_at"]},
            path_for("positions.vote", position_id=position.id),
        )
    elif action == "vote_close":
        voters = (
            sa.select(Ballot.network_id)
            .join(Motion)
            .where(
                Motion.position_id == position.id,
                Motion.opened_at >= position.vote_opened_at,
            )
        )
        adopt = db.session.scalar(
            current_motions(position).where(Motion.amendment_id.is_(None))
        )
        yield (
            representatives_of(voters),
            Category.VOTES,
            "vote_closed",
            {**payload, "passed": bool(adopt and adopt.passed)},
            path_for("positions.vote", position_id=position.id),
        )
    elif action == "submit":
        yield (
            sa.select(User).where(User.is_active.is_(True), User.is_board.is_(True)),
            Category.BOARD,
            "board_submitted",
            payload,
            path_for("board.review", position_id=position.id),
        )
    elif action == "board_outcome":
        yield (
            representatives_of(_authors(position)),
            Category.BOARD,
            "board_outcome",
            {**payload, "outcome": event.payload["state"][1]},
            link,
        )
    elif action == "publish":
        statement = db.session.scalar(
            sa.select(Statement).filter_by(position_id=position.id)
        )
        yield (
            members(),
            Category.PUBLICATIONS,
            "statement_published",
            payload,
            path_for("public.statement", slug=statement.slug),
        )


def _on_amendment(event: AuditEvent):
    if event.action != "amendment.decide":
        return
    amendment = db.session.get(Amendment, event.object_id)
    status = event.payload.get("status", [None, None])[1]
    if amendment is None or amendment.author_id is None or status not in DECISIONS:
        return
    position = db.session.get(Position, amendment.position_id)
    yield (
        sa.select(User).where(User.id == amendment.author_id, User.is_active.is_(True)),
        Category.CONSULTATION,
        "amendment_decided",
        {**_base(position), "number": amendment.number, "decision": status},
        path_for(
            "positions.amendment_show", position_id=position.id, number=amendment.number
        ),
    )


def _on_comment(event: AuditEvent):
    comment = db.session.get(Comment, event.object_id)
    if comment is None:
        return
    position = db.session.get(Position, comment.position_id)
    link = _position_link(position.id) + f"#comment-{comment.id}"
    if event.action == "comment.create" and comment.parent_id:
        parent = db.session.get(Comment, comment.parent_id)
        network = (
            db.session.get(Network, comment.network_id) if comment.network_id else None
        )
        if parent is not None and parent.author_id:
            yield (
                sa.select(User).where(
                    User.id == parent.author_id, User.is_active.is_(True)
                ),
                Category.CONSULTATION,
                "comment_reply",
                {**_base(position), "network": network.name if network else "—"},
                link,
            )
    elif event.action == "comment.hide" and comment.author_id:
        yield (
            sa.select(User).where(
                User.id == comment.author_id, User.is_active.is_(True)
            ),
            Category.CONSULTATION,
            "comment_hidden",
            {**_base(position), "reason": event.payload.get("reason", "")},
            link,
        )


RULES = {
    "position": _on_position,
    "amendment": _on_amendment,
    "comment": _on_comment,
}


def on_event(event: AuditEvent) -> None:
    """Tell the people concerned by ``event`` (never its actor)."""
    rule = RULES.get(event.object_type)
    if rule is None:
        return
    for audience, category, kind, payload, link in rule(event) or ():
        tell(
            audience,
            category=category,
            kind=kind,
            payload=payload,
            link=link,
            event=event,
        )


# --- Telling -----------------------------------------------------------------------


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


# --- Reading -----------------------------------------------------------------------


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(user: User, notification: Notification | None = None) -> int:
    """Mark one notification, or all of them, as read."""
    stmt = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification is not None:
        stmt = stmt.where(Notification.id == notification.id)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount


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


# --- Digests and reminders ------------------------------------------------------------


def make_digests(now: datetime | None = None) -> int:
    """One message per person with unread news in their digest categories; returns how many.

    What a digest carries is marked at once, so running it again sends nothing twice.
    """
    now = now or utcnow()
    pending = db.session.execute(
        sa.select(Notification.id, Notification.user_id, Notification.category).where(
            Notification.read_at.is_(None), Notification.mailed_at.is_(None)
        )
    ).all()
    by_user: dict[int, list[tuple[int, Category]]] = {}
    for notification_id, user_id, category in pending:
        by_user.setdefault(user_id, []).append((notification_id, category))
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
            .where(Notification.id.in_(wanted))
            .values(mailed_at=now)
        )
        made += 1
    db.session.flush()
    return made


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
    """Remind, 48 hours before a close, the networks that have not taken part yet.

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
    db.session.flush()
    return made


def _listen() -> None:
    from advocacy.services import audit

    if on_event not in audit.LISTENERS:
        audit.LISTENERS.append(on_event)


_listen()
