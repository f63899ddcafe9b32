from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

from advocacy.blueprints.workspace import contributions, views  # noqa: E402, F401
