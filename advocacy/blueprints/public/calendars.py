"""Calendar feeds: a member's private deadlines, and the scheduled publications."""

from flask import abort
from flask_babel import gettext as _

from advocacy.blueprints.public import bp
from advocacy.services import calendars

ICS = "text/calendar; charset=utf-8"


@bp.get("/calendar/<string:token>.ics")
def member_calendar(token: str):
    """A member's deadlines, at the private address shown on their account page
    (no sign-in: calendar applications fetch it; renewing it ends this one)."""
    user = calendars.owner_of(token) if len(token) <= 200 else None
    if user is None:
        abort(404, description=_("This calendar address is unknown, or was renewed."))
    return (
        calendars.member_feed(user),
        200,
        {
            "Content-Type": ICS,
            "Cache-Control": "private, no-store",
            "X-Robots-Tag": "noindex",
        },
    )


@bp.get("/statements/calendar.ics")
def publications_calendar():
    """The statements scheduled for publication, for anyone."""
    return calendars.public_feed(), 200, {"Content-Type": ICS}
