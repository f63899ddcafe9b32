"""The open-data API: read-only JSON under /api/v1/, described by OpenAPI 3.1."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from advocacy.blueprints.api import views  # noqa: E402, F401
