"""Calendar feeds (iCalendar, through ``icalendar``).

Each member has a private feed of the deadlines that concern them:
consultations closing, votes their networks may cast closing, and, for board
members, the texts before the board. Its address carries a signed token of the
person and of their ``calendar_version``: renewing the address bumps the
version, and the old address answers 404. A public feed lists the statements
scheduled for publication.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer

from advocacy.extensions import db
from advocacy.links import site_url
from advocacy.models import User, utcnow
from advocacy.queries import calendars as queries
from advocacy.services.audit import record_event

#: How far back a feed still shows a deadline.
PAST = timedelta(days=30)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="calendar")


def token_for(user: User) -> str:
    return _serializer().dumps([user.id, user.calendar_version])


def owner_of(token: str) -> User | None:
    """The active person a feed address was made for, while it is not renewed."""
    try:
        user_id, version = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or user.calendar_version != version:
        return None
    return user


def renew(user: User) -> None:
    """A new feed address; the old one stops answering."""
    user.calendar_version += 1
    record_event(
        "account.calendar_renew", by=user, object_type="user", object_id=user.id
    )


def _summary(kind: str, title: str) -> str:
    return {
        "consultation": _("Consultation closes: %(title)s", title=title),
        "vote": _("Vote closes: %(title)s", title=title),
        "board": _("Before the board: %(title)s", title=title),
        "publication": _("Publication: %(title)s", title=title),
    }[kind]


def _link(kind: str, position_id: int) -> str:
    if kind == "vote":
        return site_url("positions.vote", position_id=position_id)
    if kind == "board":
        return site_url("board.review", position_id=position_id)
    if kind == "publication":
        return site_url("public.statements")
    return site_url("positions.show", position_id=position_id)


def _calendar(name: str, rows: list[queries.Deadline], *, links: bool) -> bytes:
    host = urlsplit(site_url("public.home")).hostname or "porte-voix"
    calendar = Calendar()
    calendar.add("prodid", "-//Porte-voix//calendar//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    now = utcnow()
    for kind, position_id, title, moment in rows:
        if moment is None:
            continue
        event = Event()
        event.add("uid", f"{kind}-{position_id}-{int(moment.timestamp())}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", moment)
        event.add("dtend", moment + timedelta(minutes=30))
        event.add("summary", _summary(kind, title))
        if links:
            event.add("url", _link(kind, position_id))
        calendar.add_component(event)
    return calendar.to_ical()


def member_feed(user: User, now: datetime | None = None) -> bytes:
    """The person's deadlines, worded in their language."""
    since = (now or utcnow()) - PAST
    with force_locale(user.locale or "fr"):
        return _calendar(
            _("%(site)s — my deadlines", site=current_app.config["SITE_NAME"]),
            queries.member_deadlines(user, since),
            links=True,
        )


def public_feed() -> bytes:
    """The statements scheduled for publication (titles only: no member page)."""
    return _calendar(
        _("%(site)s — publications", site=current_app.config["SITE_NAME"]),
        queries.scheduled_publications(),
        links=True,
    )
