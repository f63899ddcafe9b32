"""Fixtures: an app per test on an emptied database, factories, clients, helpers."""

import contextvars
import html
import os
import re
import shutil
import tempfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

from advocacy import create_app
from advocacy.demo.walk import skip_to
from advocacy.extensions import db as _db
from advocacy.models import Base, Membership, MembershipRole, Network, User
from advocacy.models.networks import Department, EssFamily, NetworkKind
from tests import htmlcheck

#: A PostgreSQL URL to run the suite on; SQLite when unset.
TEST_DB = os.environ.get("TEST_DB", "")
PASSWORD = "lantern orchard velvet quartz"  # strong enough for zxcvbn
IS_POSTGRES = TEST_DB.startswith("postgresql")


def pytest_configure(config):
    """Keep the HTML pages the tests render, for the Nu checker at the end."""
    if os.environ.get("NU_CHECK", "1") == "0":
        return
    htmlcheck.Recorder.folder = Path(tempfile.mkdtemp(prefix="porte-voix-pages-"))


def pytest_sessionfinish(session, exitstatus):
    """Run the Nu HTML checker on the pages kept; any error fails the run."""
    folder = htmlcheck.Recorder.folder
    if folder is None or exitstatus not in (0, 1):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    missing = htmlcheck.available()
    if missing:
        if os.environ.get("CI") == "true":
            reporter.write_line(f"Nu HTML checker: cannot run ({missing})", red=True)
            session.exitstatus = 1
        else:
            reporter.write_line(f"Nu HTML checker skipped: {missing}", yellow=True)
        return
    pages = len(list(folder.glob("*.html")))
    errors = htmlcheck.check(folder)
    if errors:
        reporter.write_line(
            f"Nu HTML checker: {len(errors)} errors in {pages} pages", red=True
        )
        for line in errors[:100]:
            reporter.write_line("  " + line)
        reporter.write_line(f"  (the pages are kept in {folder})")
        session.exitstatus = 1
        return
    reporter.write_line(f"Nu HTML checker: {pages} pages, 0 errors", green=True)
    shutil.rmtree(folder, ignore_errors=True)


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + TEST_DB if IS_POSTGRES else 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """One database for the session, its schema built from the models."""
    if IS_POSTGRES:
        return fresh_schema(TEST_DB)
    return fresh_schema(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}")


def fresh_schema(url: str) -> str:
    """Build the models' schema in the database at ``url``, emptied first on
    PostgreSQL (a SQLite file is new); returns ``url``."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    Base.metadata.create_all(engine)
    engine.dispose()
    return url


def _empty_tables(engine) -> None:
    # site_state keeps its one row: the generation only ever grows
    tables = [t for t in Base.metadata.sorted_tables if t.name != "site_state"]
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            names = ", ".join(t.name for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    with engine.connect() as conn:
        # positions and revisions refer to each other: no order satisfies both keys.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        for table in reversed(tables):
            conn.execute(table.delete())
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    The test's own app context (for factories and assertions) is committed before
    each request and expired after it, so that it sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        outer = has_app_context()
        if outer:
            _db.session.commit()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            if outer:
                _db.session.expire_all()


def make_app(database_url: str, tmp_path: Path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PASSWORD_HASH_CHEAP": True,
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "file",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "SITE_URL": "http://localhost",
        "RATELIMIT_STORAGE_URI": "memory://",
        # every public request looks for due publications: query counts stay exact
        "PUBLICATION_CHECK_SECONDS": 0,
        # off but where a test turns it on: each request shows what it does itself
        "PUBLIC_CACHE_ENTRIES": 0,
        "MEMBER_CACHE_ENTRIES": 0,
        # the edit page opens the live editor only where a test runs the collab server
        "COLLAB_URL": "",
        # time does not pass in a test: consultations and votes of any length;
        # tests/web/test_durations.py checks the minimums with their defaults
        "CONSULTATION_MIN_DAYS": 0,
        "VOTE_MIN_DAYS": 0,
    }
    if IS_POSTGRES:  # concurrency tests run twenty writers at once
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": 25, "max_overflow": 5}
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    app.wsgi_app = htmlcheck.Recorder(app.wsgi_app)
    return app


def _release(app) -> None:
    """Close the app's connections: its pool's, and those its page cache keeps."""
    app.extensions["page_cache"].stamp.close()
    _db.engine.dispose()


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change settings."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = make_app(database_url, tmp_path, **app_config)
    with app.app_context():
        yield app
        _db.session.remove()
        _empty_tables(_db.engine)
        _release(app)


@pytest.fixture
def app_factory(database_url, tmp_path):
    """Make extra apps (other settings); their connections are closed afterwards."""
    made = []

    def factory(**overrides):
        made.append(make_app(database_url, tmp_path, **overrides))
        return made[-1]

    yield factory
    for extra in made:
        with extra.app_context():
            _release(extra)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(database_url, tmp_path):
    """An app with CSRF protection on, as in production."""
    app = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        _db.session.remove()
        _empty_tables(_db.engine)
        _release(app)


# --- Factories -----------------------------------------------------------------


@pytest.fixture
def create_network(db):
    counter = {"n": 0}

    def factory(**kwargs) -> Network:
        counter["n"] += 1
        n = counter["n"]
        values = {
            "name": f"Réseau test {n}",
            "slug": f"reseau-test-{n}",
            "kind": NetworkKind.SECTOR,
            "family": EssFamily.ASSOCIATION,
            "department": Department.LOIRE_ATLANTIQUE,
            "description": "",
            "website": "",
        }
        values.update(kwargs)
        network = Network(**values)
        db.session.add(network)
        db.session.commit()
        return network

    return factory


@pytest.fixture
def create_user(db):
    from advocacy.passwords import hash_password

    counter = {"n": 0}

    def factory(*, networks=(), coordinator_of=(), password=PASSWORD, **kwargs) -> User:
        counter["n"] += 1
        n = counter["n"]
        values = {
            "email": f"person{n}@example.org",
            "display_name": f"Personne {n}",
            "password_hash": hash_password(password),
        }
        values.update(kwargs)
        user = User(**values)
        db.session.add(user)
        for network in networks:
            db.session.add(Membership(user=user, network=network))
        for network in coordinator_of:
            db.session.add(
                Membership(user=user, network=network, role=MembershipRole.COORDINATOR)
            )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def staff(create_user):
    return create_user(email="staff@example.org", display_name="Équipe", is_admin=True)


@pytest.fixture
def network(create_network):
    return create_network(name="Réseau ESS de Vendée", slug="ess-85")


@pytest.fixture
def representative(create_user, network):
    return create_user(
        email="rep@example.org", display_name="Représentante", networks=[network]
    )


# --- Helpers -------------------------------------------------------------------


#: What the confirmation of an irreversible step (publish, submit, count) posts.
CONFIRMED = {"confirmed": "yes"}


def login(client, user_or_email, password=PASSWORD):
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


@pytest.fixture
def login_as(client):
    def do(user, password=PASSWORD):
        return login(client, user, password)

    return do


def page_text(response) -> str:
    """The response body with HTML entities decoded, for matching messages."""
    return html.unescape(response.get_data(as_text=True))


#: The French title of each error page.
ERROR_TITLES = {
    400: "La demande n'a pas pu être comprise",
    403: "Action non autorisée",
    404: "Page introuvable",
    409: "Impossible pour le moment",
}


def refused(response, status: int, says: str | None = None) -> str:
    """Assert the request was refused with ``status`` and a page saying so, in
    French: ``says`` when given, else the error page's title. Returns the text."""
    assert response.status_code == status, response.status_code
    text = page_text(response)
    expected = says or ERROR_TITLES[status]
    assert expected in text, f"{expected!r} not in the page"
    return text


def sent_to_sign_in(response) -> None:
    """Assert the answer is the way to the sign-in page: the person is signed out."""
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].startswith("/login"), response.headers[
        "Location"
    ]


def sessions_of(user) -> int:
    """How many browsers the person is signed in on."""
    from advocacy.models import UserSession

    return _db.session.scalar(
        sa.select(sa.func.count())
        .select_from(UserSession)
        .where(UserSession.user_id == user.id)
    )


def heading(response) -> str:
    """The page's first-level heading, as read."""
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True), re.S)
    assert found, "the page has no <h1>"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def read_outbox(app) -> list:
    """Send what the outbox holds, as the worker would; then the messages the file
    backend wrote, oldest first."""
    from advocacy.services.outbox import send_due

    if has_app_context():
        _db.session.commit()
    with app.app_context():
        send_due()
        _db.session.remove()
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    if not folder.exists():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def link_in(message, prefix: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(prefix) + r"[^\s]+", body)
    assert match, body
    return match.group(0)


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, _conn, _cursor, statement, *_args):
        self.statements.append(statement)

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(db):
    return lambda: QueryCounter(db.engine)


@pytest.fixture
def board_members(create_user):
    """Three board members."""
    return [
        create_user(
            email=f"ca{i}@example.org",
            display_name=f"Administratrice {i}",
            is_board=True,
        )
        for i in range(3)
    ]


@pytest.fixture
def walk_position(app, db):
    """Take a fresh position through the lifecycle, up to ``until``.

    ``until`` is "consultation" (open for ``days``), "consolidation" (text adopted by
    a vote of its lead network), "board_review" or "approved" (by ``approvers``).
    """
    from advocacy.demo.walk import walk as walk_to
    from advocacy.services import positions as positions_service

    def walk(
        *,
        lead,
        by,
        until,
        title="Pour un emploi durable",
        body=None,
        summary="",
        days=1,
        message="",
        approvers=(),
    ):
        body = body or (
            "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n"
            "# Propositions\n\nRelocaliser."
        )
        position = positions_service.create_position(
            title=title,
            summary=summary,
            body=body,
            lead=lead,
            themes=[],
            arenas=[],
            by=by,
        )
        walk_to(
            position,
            until=until,
            by=by,
            voters=[(lead, by)],
            approvers=approvers if until == "approved" else (),
            days=days,
            message=message,
        )
        db.session.commit()
        return position

    return walk


@pytest.fixture
def publish(app, db, staff, network):
    """Publish a statement quickly: a position created and approved, then published.

    The consultation, vote and board steps are skipped (``walk_position`` takes
    them); what is published goes through the real publication service.
    """
    from advocacy.models import PositionState
    from advocacy.services import positions as positions_service
    from advocacy.services import statements

    def factory(
        title="Pour un emploi durable",
        body="# Constat\n\nL'emploi progresse.",
        *,
        summary="",
        lead=None,
        themes=(),
        arenas=(),
    ):
        position = positions_service.create_position(
            title=title,
            summary=summary,
            body=body,
            lead=lead or network,
            themes=list(themes),
            arenas=list(arenas),
            by=staff,
        )
        skip_to(position, PositionState.APPROVED)
        version = statements.publish_statement(position, by=staff)
        db.session.commit()
        return version

    return factory


@pytest.fixture
def themes(db):
    """Two themes of the regional advocacy."""
    from advocacy.models import Theme

    made = [
        Theme(slug="emploi", name_fr="Emploi", name_en="Employment"),
        Theme(
            slug="transition",
            name_fr="Transition écologique",
            name_en="Green transition",
        ),
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


@pytest.fixture
def app_processes(app, tmp_path):
    """Start app processes on the test database: ``start(n)`` gives their base URLs."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    started = []

    def start(n: int = 2) -> list[str]:
        urls = []
        for _ in range(n):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "tests.serve",
                    app.config["SQLALCHEMY_DATABASE_URI"],
                    str(port),
                    str(tmp_path),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started.append(process)
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            deadline = time.monotonic() + 20
            while True:
                try:
                    urllib.request.urlopen(url + "/legal", timeout=2).close()  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        return urls

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
