from flask import Blueprint

bp = Blueprint("public", __name__)

from advocacy.blueprints.public import (  # noqa: E402, F401
    calendars,
    feeds,
    indicators,
    networks,
    search,
    statements,
    views,
)
