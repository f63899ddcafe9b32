"""Live co-writing: the collaboration server (an ASGI application) beside the app.

It runs on the same package, configuration and database as the Flask app:
``uvicorn --factory advocacy.collab:create_collab_app`` (``flask collab`` in
development; ``make run`` starts it with the app).
"""

from advocacy import create_app


def create_collab_app(test_config: dict | None = None):
    """The collaboration server, configured like the app (instance/config.py, FLASK_*)."""
    from advocacy.collab.server import CollabServer

    return CollabServer(create_app(test_config))
