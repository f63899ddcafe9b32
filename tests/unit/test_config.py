"""Configuration: refusing unsafe defaults, SQLite settings, instance and env overrides."""

import pytest
import sqlalchemy as sa

from advocacy import ConfigurationError, create_app
from advocacy.extensions import db


def test_refuses_the_development_secret_key_in_production(monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(
        ConfigurationError, match="SECRET_KEY is the development default"
    ):
        create_app({"TESTING": False})


def test_accepts_the_development_key_in_testing():
    assert create_app({"TESTING": True}).config["SECRET_KEY"]


def test_environment_variables_override_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("FLASK_PER_PAGE", "50")
    monkeypatch.setenv(
        "FLASK_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'x.db'}"
    )
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["PER_PAGE"] == 50


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"}
    )
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
    with app.app_context():
        db.engine.dispose()


def test_the_default_database_lives_in_instance(tmp_path):
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/porte-voix.sqlite3")
