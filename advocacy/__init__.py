"""Porte-voix: the advocacy platform of a regional chamber of the ESS."""

import logging
import os

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine

from advocacy.config import DEV_SECRET_KEY, DefaultConfig
from advocacy.parsing import CONVERTERS, whole_number


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration."""


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py and FLASK_* (or test_config)."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters.update(CONVERTERS)
    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    _finish_config(app)

    from advocacy import cache, cli, errors, fragments, frame, i18n, security, web
    from advocacy.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.abspath(os.path.join(app.root_path, "..", "migrations")),
        render_as_batch=True,
        compare_type=True,
    )
    web.allow_uploads(app)  # before CSRFProtect: it parses the form first
    csrf.init_app(app)
    fragments.init_app(app)  # after CSRFProtect: its own csrf_token for templates
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    _init_login(app, login_manager)
    cache.init_app(app)  # inside ProxyFix: the cache sees the forwarded host and scheme
    security.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    _init_templates(app)
    frame.init_app(app)

    from advocacy import federation
    from advocacy.blueprints import (
        admin,
        api,
        auth,
        board,
        notifications,
        positions,
        public,
        workspace,
    )
    from advocacy.services import notifications as notification_rules

    notification_rules.init_app(app)
    federation.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(positions.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(workspace.bp)
    app.register_blueprint(board.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(notifications.bp)
    _init_outbox(app)
    return app


def _finish_config(app: Flask) -> None:
    config = app.config
    if config["SECRET_KEY"] == DEV_SECRET_KEY and not (app.debug or app.testing):
        raise ConfigurationError(
            "SECRET_KEY is the development default. Set FLASK_SECRET_KEY (or SECRET_KEY"
            " in instance/config.py) to a long random value, e.g. the output of"
            " `python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    if not config["SQLALCHEMY_DATABASE_URI"]:
        path = os.path.join(app.instance_path, "porte-voix.sqlite3")
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    # A connection the database dropped (a restart, a failover) is noticed when
    # the pool hands it out, and replaced: no request fails on a stale connection.
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_pre_ping": True,
        **config["SQLALCHEMY_ENGINE_OPTIONS"],
    }
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = not (app.debug or app.testing)
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
        # their INFO lines are progress reports, not events
        for name in ("weasyprint", "fontTools", "alembic.runtime.plugins"):
            logging.getLogger(name).setLevel(logging.WARNING)


@sa.event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys on, WAL and a busy timeout for every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _init_login(app: Flask, login_manager) -> None:
    from flask_babel import lazy_gettext as _l

    from advocacy.services.accounts import load_session_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        ident, _sep, key = user_id.partition(":")
        number = whole_number(ident)
        if number is None or not key:
            return None
        return load_session_user(number, key)


def _init_outbox(app: Flask) -> None:
    """In debug, the outbox sent after each request."""
    send_now = app.config["OUTBOX_SEND_AFTER_REQUEST"]
    if send_now or (send_now is None and app.debug):

        @app.after_request
        def send_outbox(response):
            """Send what the request put in the outbox (after its commit).

            In an app context of its own, so in a session of its own: whatever
            the view left uncommitted is neither sent nor committed here.
            """
            from advocacy.extensions import db
            from advocacy.models import OutboxMessage, OutboxStatus
            from advocacy.services.outbox import send_due

            with app.app_context():
                pending = db.session.scalar(
                    db.select(OutboxMessage.id)
                    .where(OutboxMessage.status == OutboxStatus.PENDING)
                    .limit(1)
                )
                if pending is not None:
                    send_due(limit=500)
                db.session.remove()
            return response


def _init_templates(app: Flask) -> None:
    from advocacy.permissions import TEMPLATE_RULES

    app.jinja_env.globals.update(TEMPLATE_RULES)
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.globals["organisation_name"] = app.config["ORGANISATION_NAME"]
    from advocacy.links import site_url
    from advocacy.models import BoardChoice, PositionState
    from advocacy.web import safe_next

    app.jinja_env.globals["BoardChoice"] = BoardChoice
    app.jinja_env.globals["PositionState"] = PositionState
    app.jinja_env.globals["safe_next"] = safe_next
    app.jinja_env.globals["site_url"] = site_url
    from advocacy.blueprints.common import confirm_attributes, mention_attributes

    app.jinja_env.globals["confirm_attributes"] = confirm_attributes
    app.jinja_env.globals["mention_attributes"] = mention_attributes
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
