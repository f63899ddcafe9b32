from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

from advocacy.blueprints.workspace import (  # noqa: E402, F401
    contributions,
    orientations,
    views,
)
