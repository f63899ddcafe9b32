from flask import Blueprint

bp = Blueprint("auth", __name__)

from advocacy.blueprints.auth import views  # noqa: E402, F401
