"""Public pages kept in memory for anonymous readers, until anything changes.

Most requests to the platform are people reading statements. Each worker keeps
the public pages it rendered for visitors who are not signed in, and serves
them again — without routing, sessions, queries or templates — as long as
nothing was written since:

- every transaction that writes anything adds one to ``site_state.generation``,
  in the same transaction (so the new generation is seen exactly when the new
  data is);
- each request reads the generation (one indexed query) before anything else,
  and a page is served from memory only if it was made at that generation;
- when a scheduled publication is due, the request goes through, so that the
  public pages release it.

What is kept: answers 200 to GET or HEAD that the app marked as public pages
(``security.conditional_public_pages``), with no cookie set, for a request that
carried no session cookie. The key is the host, scheme, path, query and the
language the page is in (from the language cookie or ``Accept-Language``). Each worker keeps at most
``PUBLIC_CACHE_ENTRIES`` pages (0 turns the cache off) and none longer than
``PUBLIC_CACHE_SECONDS``. ``warm()`` renders the pages of
``PUBLIC_CACHE_WARM`` at a worker's start (``gunicorn.conf.py``).
"""

import contextvars
import time
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

#: Set on the WSGI environ by the app when an answer may be kept.
CACHEABLE = "porte_voix.cacheable"
#: Cookies that make a request personal.
PERSONAL_COOKIES = ("session=", "remember_token=")
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


def _stamp_query():
    due = (
        sa.select(Position.id)
        .where(
            Position.publish_at.is_not(None),
            Position.publish_at <= sa.bindparam("now", type_=UTCDateTime()),
            Position.state == PositionState.APPROVED,
        )
        .exists()
    )
    return sa.select(SiteState.generation, due).where(SiteState.id == 1)


class PublicPageCache:
    """WSGI middleware in front of the Flask app (see the module's docstring)."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.size = int(app.config["PUBLIC_CACHE_ENTRIES"])
        self.max_age = float(app.config["PUBLIC_CACHE_SECONDS"])
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.lock = Lock()
        self.stamp_query = _stamp_query()
        self.hits = self.misses = 0
        self._engine = None

    def __call__(self, environ, start_response):
        if not self.size or not self._anonymous_read(environ):
            return self.wsgi_app(environ, start_response)
        generation = self._generation()
        if generation is None:
            return self.wsgi_app(environ, start_response)
        key = self._key(environ)
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                fresh = (
                    entry.generation == generation
                    and time.monotonic() - entry.stored < self.max_age
                )
                if fresh:
                    self.entries.move_to_end(key)
                else:
                    del self.entries[key]
                    entry = None
        if entry is not None:
            self.hits += 1
            return self._replay(entry, environ, start_response)
        self.misses += 1
        return self._render(key, generation, environ, start_response)

    # --- what may be served from memory -------------------------------------------

    @staticmethod
    def _anonymous_read(environ) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        cookies = environ.get("HTTP_COOKIE", "")
        return not any(name in cookies for name in PERSONAL_COOKIES)

    def _generation(self) -> int | None:
        """The current generation, or None when the request must go through."""
        if self._engine is None:
            from advocacy.extensions import db

            with self.app.app_context():
                # one statement, no transaction: no BEGIN nor ROLLBACK round trips
                self._engine = db.engine.execution_options(isolation_level="AUTOCOMMIT")
        with self._engine.connect() as connection:
            row = connection.execute(self.stamp_query, {"now": utcnow()}).first()
        if row is None or row[1]:  # no state row, or a publication is due
            return None
        return row[0]

    def _key(self, environ) -> tuple:
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
            self._language(environ),
            environ.get("REQUEST_METHOD") == "HEAD",
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
        if not self.size:
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
        if not is_resource_modified(environ, etag=etag, last_modified=modified):
            headers = [
                (k, v) for k, v in entry.headers if k.lower() != "content-length"
            ]
            start_response("304 NOT MODIFIED", headers)
            return [b""]
        start_response(entry.status, entry.headers)
        return [entry.body]

    def _render(self, key, generation, environ, start_response):
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
            environ.get(CACHEABLE)
            and answer.get("status", "").startswith("200")
            and not any(k.lower() == "set-cookie" for k, _v in headers)
            and len(body) <= MAX_BODY
        )
        if keep:
            etag = next((v for k, v in headers if k.lower() == "etag"), None)
            entry = Entry(
                generation, time.monotonic(), answer["status"], headers, body, etag
            )
            with self.lock:
                self.entries[key] = entry
                self.entries.move_to_end(key)
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
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
    app.wsgi_app = PublicPageCache(app, app.wsgi_app)
    app.extensions["public_cache"] = app.wsgi_app
