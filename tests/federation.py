"""Several Porte-voix installations in one test run: each its own database and
app, served on loopback by a thread, as a chamber's own host would serve it."""

import json
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import requests
import sqlalchemy as sa
from flask import Flask
from http_message_signatures import HTTPMessageSigner, algorithms
from werkzeug.serving import make_server

from advocacy.extensions import db
from advocacy.federation import signatures
from advocacy.federation.keys import private_key
from advocacy.models import User
from advocacy.models.federation import (
    FederationMessage,
    LinkState,
    MessageDirection,
    Peer,
)
from advocacy.passwords import hash_password
from tests.conftest import (
    IS_POSTGRES,
    PASSWORD,
    TEST_DB,
    _empty_tables,
    _release,
    fresh_schema,
    login,
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


# --- Between the two installations of a test (tests/web/federation/conftest.py)


def peer_on(installation) -> Peer:
    with installation.context():
        peer = db.session.scalar(sa.select(Peer))
        db.session.expunge_all()
        return peer


def ask(client, installation, purpose="contributes_to"):
    return client.post(
        "/admin/federation/links",
        data={"address": installation.url, "purpose": purpose},
    )


def link(region, national, client):
    """The region contributes to the national federation: asked, accepted."""
    login(client, "staff@example.org")
    assert ask(client, national).status_code == 302
    region.work()
    peer = peer_on(national)
    answer = national.client().post(f"/admin/federation/links/{peer.id}/accept")
    assert answer.status_code == 302
    national.work()
    assert peer_on(region).state is LinkState.ACTIVE


def post(installation, to, activity, *, key=None, created=None, body=None):
    """Post ``activity`` to ``to``'s inbox, signed by ``installation``'s key (or
    ``key``, under its key id), at ``created``; ``body``: what is sent instead."""
    data = json.dumps(activity).encode()
    request = requests.Request(
        "POST",
        f"{to.url}/federation/inbox",
        data=data,
        headers={"Content-Type": "application/activity+json"},
    ).prepare()
    with installation.context():
        signing = key or private_key()
    HTTPMessageSigner(
        signature_algorithm=algorithms.ED25519,
        key_resolver=signatures._Keys(private=signing),
    ).sign(
        request,
        key_id=f"{installation.url}/federation/actor#main-key",
        tag=signatures.TAG,
        covered_component_ids=signatures.COVERED,
        created=created,
        body=data,
    )
    if body is not None:
        request.body = body
        request.headers["Content-Length"] = str(len(body))
    return requests.Session().send(request, timeout=5)


def sent_activities(installation) -> list[tuple[str, str]]:
    """(type, status) of the activities an installation sent, in order."""
    with installation.context():
        return [
            (m.activity_type, m.status.value)
            for m in db.session.scalars(
                sa.select(FederationMessage)
                .where(FederationMessage.direction == MessageDirection.OUT)
                .order_by(FederationMessage.id)
            )
        ]
