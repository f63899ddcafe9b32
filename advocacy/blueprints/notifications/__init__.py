"""Notifications: the list, marking read, email preferences, one-click unsubscribe."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from advocacy.blueprints.notifications import views  # noqa: E402, F401
