"""Pages kept in memory until anything changes: public pages for anonymous
readers, and a member's own pages for that member.

Most requests to the platform are people reading: visitors reading statements,
members going back and forth between their workspace, a position and its
discussion. Each worker keeps the pages it rendered and serves them again —
without routing, sessions, queries or templates — as long as nothing was written
since:

- every transaction that writes anything adds one to ``site_state.generation``,
  in the same transaction (so the new generation is seen exactly when the new
  data is);
- each request reads the generation (one indexed query, on connections the cache
  keeps for itself, outside any transaction) before anything else, and a
  page is served from memory only if it was made at that generation;
- when a scheduled publication is due, the request goes through, so that the
  public pages release it.

Two shelves:

- **public**: answers 200 to GET or HEAD that the app marked as public pages
  (``security.mark_kept_pages``), with no cookie set, for a request that carried
  no session cookie. The key is the host, scheme, path, query and the language
  the page is in (from the language cookie or ``Accept-Language``). At most
  ``PUBLIC_CACHE_ENTRIES`` pages (0 turns it off), none older than
  ``PUBLIC_CACHE_SECONDS``. ``warm()`` renders the pages of ``PUBLIC_CACHE_WARM``
  at a worker's start (``gunicorn.conf.py``).
- **personal**: the same, for a request that carries a session: the pages the app
  marked as kept for members (or public pages), when the answer sets no cookie.
  The key adds a digest of everything the app reads from the request besides the
  address: the cookies (the signed session, so the person, their session and its
  CSRF secret), the client's address and browser (the session is bound to them)
  and the language asked for. A page is served again only to a request the app
  would answer with the same page; a sign-out, a role taken away, a new
  notification are writes, and make it stale at once. At most
  ``MEMBER_CACHE_ENTRIES`` pages, none older than ``MEMBER_CACHE_SECONDS``
  (what changes with time alone — a deadline passing, a session outliving its
  lifetime — is seen at most that late; the actions themselves are checked when
  they are posted).
"""

import contextvars
import hashlib
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import (
    is_resource_modified,
    parse_accept_header,
    parse_cookie,
    parse_date,
    unquote_etag,
)
from werkzeug.test import EnvironBuilder

from advocacy.i18n import LANGUAGE_COOKIE
from advocacy.models import Position, PositionState, SiteState, utcnow
from advocacy.models.base import UTCDateTime

#: Set on the WSGI environ by the app when a public answer may be kept.
CACHEABLE = "porte_voix.cacheable"
#: Set on the WSGI environ by the app when a member's page may be kept for them.
KEPT_FOR_MEMBER = "porte_voix.kept_for_member"
#: Cookies that make a request personal.
PERSONAL_COOKIES = ("session=", "remember_token=")
#: What the app reads from a personal request besides its address.
PERSONAL_HEADERS = (
    "HTTP_COOKIE",
    "REMOTE_ADDR",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_USER_AGENT",
    "HTTP_ACCEPT_LANGUAGE",
)
MAX_BODY = 2_000_000
_CHANGED = "porte_voix.changed"


@dataclass
class Entry:
    generation: int
    stored: float
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None


class Shelf:
    """The pages kept for one kind of reader: the most recently used ``size``,
    none served older than ``max_age`` seconds."""

    def __init__(self, size: int, max_age: float):
        self.size = size
        self.max_age = max_age
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.lock = Lock()

    def get(self, key: tuple, generation: int) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if (
                entry.generation == generation
                and time.monotonic() - entry.stored < self.max_age
            ):
                self.entries.move_to_end(key)
                return entry
            del self.entries[key]
            return None

    def put(self, key: tuple, entry: Entry) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


class Stamp:
    """Reads the generation, and whether a publication is due, in one statement on
    database connections of its own, in autocommit: no pool checkout, no
    transaction, no ORM — a few tens of microseconds where a pooled connection
    costs several hundred. Idle connections wait in a list for the next request,
    whichever thread serves it (a server may start a thread per request); there
    are never more than requests read the generation at once."""

    def __init__(self, app):
        self.app = app
        self.idle: list = []
        self.lock = Lock()
        self.statement = None
        # the connections are closed, not left to the collector, when the app goes
        weakref.finalize(self, _close_all, self.idle)

    def _prepare(self):
        from advocacy.extensions import db

        with self.app.app_context():
            self.engine = db.engine
        dialect = self.engine.dialect
        now = sa.bindparam("now", type_=UTCDateTime())
        # a publication to release, or a vote to count: the app must see the request
        due = (
            sa.select(Position.id)
            .where(
                sa.or_(
                    sa.and_(
                        Position.state == PositionState.APPROVED,
                        Position.publish_at.is_not(None),
                        Position.publish_at <= now,
                    ),
                    sa.and_(
                        Position.state == PositionState.VOTE,
                        Position.vote_closes_at.is_not(None),
                        Position.vote_closes_at <= now,
                    ),
                )
            )
            .exists()
        )
        compiled = (
            sa.select(SiteState.generation, due)
            .where(SiteState.id == 1)
            .compile(dialect=dialect)
        )
        processors = {
            name: bind.type.bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }

        def parameters(now):
            values = compiled.construct_params({"now": now})
            values = {
                name: processors[name](value) if processors.get(name) else value
                for name, value in values.items()
            }
            if compiled.positiontup:
                return tuple(values[name] for name in compiled.positiontup)
            return values

        self.parameters = parameters
        self.statement = str(compiled)

    def _open(self):
        if self.statement is None:
            self._prepare()
        dialect = self.engine.dialect
        cargs, cparams = dialect.create_connect_args(self.engine.url)
        connection = dialect.connect(*cargs, **cparams)
        dialect.set_isolation_level(connection, "AUTOCOMMIT")
        return connection

    def read(self) -> int | None:
        """The current generation, or None when the request must go through (no
        state yet, a publication or a vote count due, or the database not
        answering here)."""
        with self.lock:
            connection = self.idle.pop() if self.idle else None
        try:
            if connection is None:
                connection = self._open()
            cursor = connection.cursor()
            try:
                cursor.execute(self.statement, self.parameters(utcnow()))
                row = cursor.fetchone()
            finally:
                cursor.close()
        except Exception:  # noqa: BLE001 - the app answers, and reports, on its own
            if connection is not None:
                _close_all([connection])  # dropped: the next request opens another
            return None
        with self.lock:
            self.idle.append(connection)
        if row is None or row[1]:
            return None
        return row[0]

    def close(self) -> None:
        """Close the idle connections (tests, and a worker's exit)."""
        with self.lock:
            _close_all(self.idle)


def _close_all(connections: list) -> None:
    for connection in connections:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110 - closing what may be gone
            pass
    connections.clear()


class PageCache:
    """WSGI middleware in front of the Flask app (see the module's docstring)."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.public = Shelf(
            int(app.config["PUBLIC_CACHE_ENTRIES"]),
            float(app.config["PUBLIC_CACHE_SECONDS"]),
        )
        self.personal = Shelf(
            int(app.config["MEMBER_CACHE_ENTRIES"]),
            float(app.config["MEMBER_CACHE_SECONDS"]),
        )
        self.stamp = Stamp(app)
        self.hits = self.misses = 0

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        cookies = environ.get("HTTP_COOKIE", "")
        personal = any(name in cookies for name in PERSONAL_COOKIES)
        shelf = self.personal if personal else self.public
        if not shelf.size:
            return self.wsgi_app(environ, start_response)
        generation = self.stamp.read()
        if generation is None:
            return self.wsgi_app(environ, start_response)
        key = self._personal_key(environ) if personal else self._key(environ)
        entry = shelf.get(key, generation)
        if entry is not None:
            self.hits += 1
            return self._replay(entry, environ, start_response)
        self.misses += 1
        marks = (CACHEABLE, KEPT_FOR_MEMBER) if personal else (CACHEABLE,)
        return self._render(shelf, marks, key, generation, environ, start_response)

    # --- the keys -----------------------------------------------------------------

    def _key(self, environ) -> tuple:
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
            self._language(environ),
            environ.get("REQUEST_METHOD") == "HEAD",
        )

    @staticmethod
    def _personal_key(environ) -> tuple:
        reader = "\0".join(environ.get(name, "") for name in PERSONAL_HEADERS)
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
            environ.get("REQUEST_METHOD") == "HEAD",
            hashlib.sha256(reader.encode("utf-8", "surrogateescape")).digest(),
        )

    def _language(self, environ) -> str:
        """The language the page is answered in, as ``i18n.select_locale`` chooses
        it for a visitor without a session: the switch's cookie, else the browser's
        preference. Browsers word that preference in many ways; one page is kept
        per language, not per wording."""
        languages = self.app.config["LANGUAGES"]
        chosen = parse_cookie(environ).get(LANGUAGE_COOKIE)
        if chosen in languages:
            return chosen
        accepted = parse_accept_header(
            environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept
        )
        return accepted.best_match(languages) or languages[0]

    # --- warming ----------------------------------------------------------------------

    def warm(self) -> int:
        """Render the pages of ``PUBLIC_CACHE_WARM`` in every language, as readers
        of ``SITE_URL`` will ask for them, so that the first readers after a start
        are served from memory. Returns how many pages were kept."""
        if not self.public.size:
            return 0
        site = urlsplit(self.app.config["SITE_URL"])
        statuses = []

        def start_response(status, headers, exc_info=None):
            statuses.append(status)

        for path in self.app.config["PUBLIC_CACHE_WARM"]:
            for language in self.app.config["LANGUAGES"]:
                environ = EnvironBuilder(
                    path=path,
                    base_url=f"{site.scheme}://{site.netloc}",
                    headers={"Accept-Language": language},
                ).get_environ()
                # each page in contexts of its own, as a reader's request would be
                contextvars.Context().run(
                    lambda e=environ: b"".join(self(e, start_response))
                )
        return sum(status.startswith("200") for status in statuses)

    # --- answering ------------------------------------------------------------------

    @staticmethod
    def _replay(entry: Entry, environ, start_response):
        modified = next(
            (parse_date(v) for k, v in entry.headers if k.lower() == "last-modified"),
            None,
        )
        etag = unquote_etag(entry.etag)[0] if entry.etag else None
        if (etag or modified) and not is_resource_modified(
            environ, etag=etag, last_modified=modified
        ):
            headers = [
                (k, v) for k, v in entry.headers if k.lower() != "content-length"
            ]
            start_response("304 NOT MODIFIED", headers)
            return [b""]
        start_response(entry.status, entry.headers)
        return [entry.body]

    def _render(self, shelf, marks, key, generation, environ, start_response):
        answer = {}

        def capture(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers, exc_info)

        chunks = self.wsgi_app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = answer.get("headers", [])
        keep = (
            any(environ.get(mark) for mark in marks)
            and answer.get("status", "").startswith("200")
            and not any(k.lower() == "set-cookie" for k, _v in headers)
            and len(body) <= MAX_BODY
        )
        if keep:
            etag = next((v for k, v in headers if k.lower() == "etag"), None)
            shelf.put(
                key,
                Entry(
                    generation, time.monotonic(), answer["status"], headers, body, etag
                ),
            )
        return [body]


# --- the generation follows every write ------------------------------------------------


def _note_flush(session, flush_context):
    if session.new or session.dirty or session.deleted:
        session.info[_CHANGED] = True


def _note_statement(state):
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) != SiteState.__tablename__:
            state.session.info[_CHANGED] = True


def _bump(session):
    # changes still pending are flushed by the update itself (autoflush)
    pending = session.new or session.dirty or session.deleted
    if session.info.pop(_CHANGED, False) or pending:
        session.execute(
            sa.update(SiteState)
            .where(SiteState.id == 1)
            .values(generation=SiteState.generation + 1)
        )
        session.info.pop(_CHANGED, None)


def _forget(session, *args):
    session.info.pop(_CHANGED, None)


def follow_writes() -> None:
    """Make every session add one to the generation when it commits a write."""
    if not sa.event.contains(Session, "before_commit", _bump):
        sa.event.listen(Session, "after_flush", _note_flush)
        sa.event.listen(Session, "do_orm_execute", _note_statement)
        sa.event.listen(Session, "before_commit", _bump)
        sa.event.listen(Session, "after_rollback", _forget)


def init_app(app) -> None:
    follow_writes()
    app.wsgi_app = PageCache(app, app.wsgi_app)
    app.extensions["page_cache"] = app.wsgi_app
