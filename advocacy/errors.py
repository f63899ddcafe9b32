"""Error pages: localised, without stack traces, for every status the app answers."""

import logging

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from advocacy.extensions import db
from advocacy.services import ServiceError

logger = logging.getLogger(__name__)

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not do this"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("This cannot be done now"),
    410: _l("This link can no longer be used"),
    413: _l("What you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("Unavailable for a moment"),
}
MESSAGES = {
    400: _l("Check what you entered and try again."),
    403: _l(
        "Your account does not have the right to do this. If you think it should, ask the staff."
    ),
    404: _l("The address may be mistyped, or the page was moved or is not public."),
    405: _l("Use the buttons and links of the site rather than typing this address."),
    409: _l("The state of things changed meanwhile: reload the page and try again."),
    410: _l("Ask for a new link."),
    413: _l("Send a smaller file or a shorter text."),
    429: _l(
        "For your security, this is paused for a while. Wait a few minutes and try again."
    ),
    500: _l(
        "The error was recorded. Try again in a moment; if it persists, tell the staff."
    ),
    503: _l("Try again in a moment."),
}


def json_error(status: int, message: str | None = None, **extra):
    """An error of the API: JSON with the status and a message a person can read."""
    status_key = status if status in TITLES else 400
    body = {
        "status": status,
        "title": str(TITLES[status_key]),
        "message": str(message or MESSAGES[status_key]),
        **extra,
    }
    return jsonify({"error": body}), status


def render_error(status: int, message: str | None = None):
    if request.path.startswith("/api/"):
        return json_error(status, message)
    status_key = status if status in TITLES else 400
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=TITLES[status_key],
            message=message or MESSAGES[status_key],
        ),
        status,
    )


def handle_http_exception(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    custom = exc.description if exc.description != type(exc).description else None
    if (
        exc.code == 429
    ):  # Flask-Limiter's description is the limit itself, not a message
        custom = None
    if isinstance(exc, CSRFError):
        custom = str(
            _l(
                "The form had expired or did not come from this site. Reload the page and send it again."
            )
        )
    response = render_error(exc.code, custom)
    if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        return response[0], 405, {"Allow": ", ".join(exc.valid_methods)}
    return response


def handle_service_error(exc: ServiceError):
    db.session.rollback()
    return render_error(exc.status, exc.message)


#: How many times a reading request is run again when its connection was lost.
READ_RETRIES = 3


def handle_lost_connection(exc: DBAPIError):
    """The database dropped the connection under a request (a restart, a failover).

    A reading request is run again on a fresh connection (up to
    ``READ_RETRIES`` times: a failover may drop the new one too); a writing one
    wrote nothing (its transaction died with the connection) and is asked to try
    again, as is a read that kept losing its connection.
    """
    if not exc.connection_invalidated:
        raise exc
    db.session.rollback()
    logger.warning(
        "Database connection lost during %s %s", request.method, request.path
    )
    tries = g.get("connection_retries", 0)
    if request.method in ("GET", "HEAD") and tries < READ_RETRIES:
        g.connection_retries = tries + 1
        try:
            return current_app.dispatch_request()
        except DBAPIError as again:
            return handle_lost_connection(again)
    response = render_error(
        503,
        _(
            "The database was unavailable for a moment and nothing was saved."
            " Try again."
        ),
    )
    return response[0], 503, {"Retry-After": "1"}


def close_session(_exc=None) -> None:
    """End the request's session; a connection the database dropped meanwhile is
    thrown away rather than failing the answer already made."""
    try:
        db.session.remove()
    except DBAPIError:
        logger.warning("Database connection lost at the end of a request")
        db.session.registry().invalidate()
        db.session.remove()


def handle_unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return render_error(500)


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(DBAPIError, handle_lost_connection)
    app.teardown_appcontext(close_session)  # runs before Flask-SQLAlchemy's own
    app.register_error_handler(InternalServerError, handle_unexpected)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
