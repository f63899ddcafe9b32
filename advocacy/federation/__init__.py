"""Federation: installations of Porte-voix that know each other and exchange
signed ActivityPub messages (docs/federation.md).

- ``keys``: this installation's key pair; ``signatures``: RFC 9421 signing and
  checking; ``documents``: the actor, WebFinger and the activities;
- ``remote``: reading another installation's documents;
- ``links``: asking for, answering, suspending and ending links;
- ``deliveries``: messages out, through the outbox; ``views``: the inbox;
- ``hooks``: the audit events that set messages going (no service imports
  federation).
"""

from flask import Blueprint

bp = Blueprint("federation", __name__)


def init_app(app) -> None:
    from advocacy.federation import (
        deliveries,
        views,  # noqa: F401 — the routes
    )
    from advocacy.federation.hooks import on_event
    from advocacy.services import audit, outbox

    app.register_blueprint(bp)
    if on_event not in audit.LISTENERS:  # what the services record sets it going
        audit.LISTENERS.append(on_event)
    if deliveries.send_due not in outbox.SENDERS:  # the outbox worker posts them
        outbox.SENDERS.append(deliveries.send_due)
