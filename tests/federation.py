"""Several Porte-voix installations in one test run: each its own database and
app, served on loopback by a thread, as a chamber's own host would serve it."""

import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from advocacy.extensions import db
from advocacy.models import User
from advocacy.passwords import hash_password
from tests.conftest import (
    IS_POSTGRES,
    PASSWORD,
    TEST_DB,
    _empty_tables,
    _release,
    fresh_schema,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings(port: int, name: str) -> dict:
    return {
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ORGANISATION_NAME": name,
        "FEDERATION_ALLOW_PRIVATE": True,  # loopback, plain HTTP
        "FEDERATION_TIMEOUT": 5,
    }


def other_database(tmp_path_factory, name: str) -> str:
    """A second database for another installation, its schema built."""
    if IS_POSTGRES:
        server = sa.engine.make_url(TEST_DB)
        wanted = f"{server.database}_{name}"
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": wanted},
            )
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{wanted}"'))
        admin.dispose()
        return fresh_schema(
            server.set(database=wanted).render_as_string(hide_password=False)
        )
    return fresh_schema(f"sqlite:///{tmp_path_factory.mktemp(name) / 'peer.sqlite3'}")


@dataclass
class Installation:
    """One installation: its app, its address, and its staff member."""

    app: Flask
    url: str
    staff_email: str = "staff@example.org"

    @contextmanager
    def context(self):
        """Its app context: factories and assertions read its database."""
        with self.app.app_context():
            yield
            db.session.commit()

    def client(self):
        """A test client signed in as its staff member."""
        client = self.app.test_client()
        with self.context():
            answer = client.post(
                "/login", data={"email": self.staff_email, "password": PASSWORD}
            )
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
        return client

    def work(self):
        """Run its outbox worker once: what is due goes out."""
        from advocacy.services.outbox import send_due

        with self.context():
            return send_due()

    def add_staff(self) -> None:
        with self.context():
            db.session.add(
                User(
                    email=self.staff_email,
                    display_name="Équipe",
                    password_hash=hash_password(PASSWORD),
                    is_admin=True,
                )
            )


@contextmanager
def served(app: Flask, port: int):
    """``app`` answering on 127.0.0.1:``port`` until the block ends."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join(timeout=10)


def emptied(app: Flask) -> None:
    """Its tables emptied and its connections closed, after a test."""
    with app.app_context():
        db.session.remove()
        _empty_tables(db.engine)
        _release(app)
