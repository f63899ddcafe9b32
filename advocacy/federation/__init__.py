"""Federation: installations of Porte-voix that know each other and exchange
signed ActivityPub messages (docs/federation.md).

- ``keys``: this installation's key pair; ``signatures``: RFC 9421 signing and
  checking; ``documents``: the actor, WebFinger and the activities;
- ``remote``: reading another installation's documents;
- ``links``: asking for, answering, suspending and ending links;
- ``deliveries``: messages out, through the outbox; ``views``: the inbox.
"""

from flask import Blueprint

bp = Blueprint("federation", __name__)


def init_app(app) -> None:
    from advocacy.federation import views  # noqa: F401 — the routes

    app.register_blueprint(bp)
