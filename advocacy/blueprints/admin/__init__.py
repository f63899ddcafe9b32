from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from advocacy.blueprints.admin import (  # noqa: E402, F401
    audit,
    federation,
    moderation,
    networks,
    people,
    themes,
    views,
)
