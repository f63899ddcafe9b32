from flask import Blueprint

bp = Blueprint("public", __name__)

from advocacy.blueprints.public import networks, statements, views  # noqa: E402, F401
