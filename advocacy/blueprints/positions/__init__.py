"""The drafting room: positions co-written by member networks."""

from flask import Blueprint

bp = Blueprint("positions", __name__, url_prefix="/positions")

from advocacy.blueprints.positions import (  # noqa: E402, F401
    amendments,
    annexes,
    conflicts,
    consultation,
    contributions,
    drafting,
    history,
    lifecycle,
    live,
    record,
    votes,
)
