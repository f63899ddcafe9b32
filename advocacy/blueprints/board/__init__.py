"""The board: the review queue and each member's decision."""

from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/board")

from advocacy.blueprints.board import views  # noqa: E402, F401
