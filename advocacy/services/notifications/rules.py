"""Who hears of what: one rule per audit event, in a registry.

A rule receives the event and yields ``Notice``s: who is told (a select of
users), in which category, what (a kind of ``texts.MESSAGES`` and its values)
and where the link leads. ``on_event`` runs the rule of each new audit event, in
the event's transaction; the actor is never told of their own act.
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple

import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.links import path_for
from advocacy.models import (
    Amendment,
    AuditEvent,
    Ballot,
    CoAuthor,
    Comment,
    Membership,
    Motion,
    Network,
    Position,
    Statement,
    User,
)
from advocacy.models.notifications import MEMBERS, Category
from advocacy.queries.votes import current_motions
from advocacy.services.notifications.delivery import broadcast, tell
from advocacy.services.notifications.texts import DECISIONS


class Notice(NamedTuple):
    #: A select of the users told, or ``MEMBERS``: a broadcast to every member.
    audience: sa.Select | str
    category: Category
    kind: str
    payload: dict
    link: str


Rule = Callable[[AuditEvent], Iterable[Notice]]
#: The rules, by audit action ("position.vote_open"…): an action may have several.
RULES: dict[str, list[Rule]] = {}


def rule(*actions: str) -> Callable[[Rule], Rule]:
    """Register a rule for these audit actions."""

    def register(function: Rule) -> Rule:
        for action in actions:
            RULES.setdefault(action, []).append(function)
        return function

    return register


def _notices(event: AuditEvent) -> Iterable[Notice]:
    for found in RULES.get(event.action, ()):
        yield from found(event) or ()


def on_event(event: AuditEvent) -> None:
    """Tell the people concerned by ``event`` (never its actor)."""
    for notice in _notices(event):
        if notice.audience == MEMBERS:
            broadcast(
                category=notice.category,
                kind=notice.kind,
                payload=notice.payload,
                link=notice.link,
                event=event,
            )
            continue
        tell(
            notice.audience,
            category=notice.category,
            kind=notice.kind,
            payload=notice.payload,
            link=notice.link,
            event=event,
        )


# --- Audiences ------------------------------------------------------------------


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


def _active(user_id: int):
    return sa.select(User).where(User.id == user_id, User.is_active.is_(True))


def _position(event: AuditEvent) -> Position | None:
    return db.session.get(Position, event.object_id)


# --- Positions --------------------------------------------------------------------


@rule("position.coauthor_add")
def coauthor_invited(event):
    position = _position(event)
    if position is None:
        return
    network = db.session.get(Network, event.payload["network_id"])
    yield Notice(
        representatives_of([network.id]),
        Category.DRAFTING,
        "coauthor_invited",
        {**_base(position), "network": network.name},
        _position_link(position.id),
    )


@rule("position.consultation_open")
def consultation_open(event):
    position = _position(event)
    if position is None:
        return
    yield Notice(
        MEMBERS,
        Category.CONSULTATION,
        "consultation_open",
        {**_base(position), "closes": event.payload["closes_at"]},
        _position_link(position.id),
    )


@rule("position.vote_open")
def vote_open(event):
    position = _position(event)
    if position is None:
        return
    yield Notice(
        MEMBERS,
        Category.VOTES,
        "vote_open",
        {**_base(position), "closes": event.payload["closes_at"]},
        path_for("positions.vote", position_id=position.id),
    )


@rule("position.vote_close")
def vote_closed(event):
    position = _position(event)
    if position is None:
        return
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
    # and the lead, who steers what follows (the vote may have closed by itself)
    lead = sa.select(Network.id).where(Network.id == position.lead_network_id)
    yield Notice(
        representatives_of(sa.union(voters, lead)),
        Category.VOTES,
        "vote_closed",
        {**_base(position), "passed": bool(adopt and adopt.passed)},
        path_for("positions.vote", position_id=position.id),
    )


@rule("position.submit")
def board_submitted(event):
    position = _position(event)
    if position is None:
        return
    yield Notice(
        sa.select(User).where(User.is_active.is_(True), User.is_board.is_(True)),
        Category.BOARD,
        "board_submitted",
        _base(position),
        path_for("board.review", position_id=position.id),
    )


@rule("position.board_outcome")
def board_outcome(event):
    position = _position(event)
    if position is None:
        return
    yield Notice(
        representatives_of(_authors(position)),
        Category.BOARD,
        "board_outcome",
        {**_base(position), "outcome": event.payload["state"][1]},
        _position_link(position.id),
    )


@rule("position.publish")
def statement_published(event):
    position = _position(event)
    if position is None:
        return
    statement = db.session.scalar(
        sa.select(Statement).filter_by(position_id=position.id)
    )
    yield Notice(
        MEMBERS,
        Category.PUBLICATIONS,
        "statement_published",
        _base(position),
        path_for("public.statement", slug=statement.slug),
    )


# --- Amendments and comments --------------------------------------------------------


@rule("amendment.decide")
def amendment_decided(event):
    amendment = db.session.get(Amendment, event.object_id)
    status = event.payload.get("status", [None, None])[1]
    if amendment is None or amendment.author_id is None or status not in DECISIONS:
        return
    position = db.session.get(Position, amendment.position_id)
    yield Notice(
        _active(amendment.author_id),
        Category.CONSULTATION,
        "amendment_decided",
        {**_base(position), "number": amendment.number, "decision": status},
        path_for(
            "positions.amendment_show", position_id=position.id, number=amendment.number
        ),
    )


@rule("amendment.edit")
def amendment_edited(event):
    """The networks that back an amendment hear when its wording changes."""
    amendment = db.session.get(Amendment, event.object_id)
    if amendment is None or not amendment.supports:
        return
    position = db.session.get(Position, amendment.position_id)
    yield Notice(
        representatives_of([s.network_id for s in amendment.supports]),
        Category.CONSULTATION,
        "amendment_edited",
        {
            **_base(position),
            "number": amendment.number,
            "network": amendment.network.name,
        },
        path_for(
            "positions.amendment_show", position_id=position.id, number=amendment.number
        ),
    )


def _comment_and_link(event):
    comment = db.session.get(Comment, event.object_id)
    if comment is None:
        return None, None, None
    position = db.session.get(Position, comment.position_id)
    return comment, position, _position_link(position.id) + f"#comment-{comment.id}"


@rule("comment.create")
def comment_reply(event):
    comment, position, link = _comment_and_link(event)
    if comment is None or not comment.parent_id:
        return
    parent = db.session.get(Comment, comment.parent_id)
    network = (
        db.session.get(Network, comment.network_id) if comment.network_id else None
    )
    if parent is not None and parent.author_id:
        yield Notice(
            _active(parent.author_id),
            Category.CONSULTATION,
            "comment_reply",
            {**_base(position), "network": network.name if network else "—"},
            link,
        )


@rule("comment.create", "comment.edit", "amendment.file", "amendment.edit")
def mentioned(event):
    """Who a comment or an amendment's rationale newly mentions: the person, or the
    representatives of the network (the services resolve only those who may see
    the position)."""
    users = event.payload.get("mentioned_users") or []
    networks = event.payload.get("mentioned_networks") or []
    if not users and not networks:
        return
    if event.object_type == "comment":
        comment, position, link = _comment_and_link(event)
        if comment is None:
            return
    else:
        amendment = db.session.get(Amendment, event.object_id)
        if amendment is None:
            return
        position = db.session.get(Position, amendment.position_id)
        link = path_for(
            "positions.amendment_show", position_id=position.id, number=amendment.number
        )
    actor = db.session.get(User, event.actor_id) if event.actor_id else None
    audience = sa.select(User).where(
        User.is_active.is_(True),
        sa.or_(
            User.id.in_(users),
            User.id.in_(
                sa.select(Membership.user_id).where(Membership.network_id.in_(networks))
            ),
        ),
    )
    yield Notice(
        audience,
        Category.CONSULTATION,
        "mention",
        {**_base(position), "name": actor.display_name if actor else "—"},
        link,
    )


@rule("comment.hide")
def comment_hidden(event):
    comment, position, link = _comment_and_link(event)
    if comment is None or not comment.author_id:
        return
    yield Notice(
        _active(comment.author_id),
        Category.CONSULTATION,
        "comment_hidden",
        {**_base(position), "reason": event.payload.get("reason", "")},
        link,
    )
