"""HTTP hardening: response headers and the reverse-proxy fix."""

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, get_flashed_messages, request, session
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

from advocacy.cache import CACHEABLE, KEPT_FOR_MEMBER

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def refuse_nul_characters():
    """A NUL character has no place in any text we keep (PostgreSQL refuses it)."""
    values = [*request.args.items(multi=True)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += request.form.items(multi=True)
    if any("\x00" in key or "\x00" in value for key, value in values):
        abort(
            400,
            description=_(
                "What you sent contains a character that is not allowed (NUL)."
            ),
        )


def content_security_policy(collab_url: str) -> str:
    """The policy: our own origin only; plus the collaboration server's, when the
    editors reach it at an address of its own (``COLLAB_URL``)."""
    parts = urlsplit(collab_url)
    if parts.scheme and parts.netloc:
        scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
        return f"{CSP}; connect-src 'self' {scheme}://{parts.netloc}"
    return CSP


def set_security_headers(response):
    policy = current_app.config["CONTENT_SECURITY_POLICY"]
    nonce = g.get("style_nonce")
    if nonce:
        # the live editor (CodeMirror) adds its style sheet with this nonce, and
        # colours the others' carets and selections with style attributes
        policy += f"; style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'"
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = (
            "max-age=63072000; includeSubDomains"
        )
    return response


#: Public pages that answer conditional requests (ETag, 304 Not Modified).
CACHEABLE_ENDPOINTS = frozenset(
    {
        "public.home",
        "public.about",
        "public.accessibility",
        "public.legal",
        "public.statements",
        "public.statement",
        "public.statement_version",
        "public.networks",
        "public.network",
        "public.feed",
        "public.statement_pdf",
        "public.compare_versions",
        "public.search",
        "public.indicators_page",
        "public.indicator_csv",
        "api.openapi",
        "api.statements",
        "api.statement",
        "api.statement_version",
        "api.networks",
        "api.network",
    }
)


#: Members' pages that may be kept in memory for the member (cache.py): pages
#: read all day, made only of what the database holds for the session's person.
KEPT_FOR_MEMBER_ENDPOINTS = frozenset(
    {
        "workspace.index",
        "workspace.network",
        "positions.index",
        "positions.show",
        "positions.vote",
        "positions.ballots",
        "positions.history",
        "positions.compare_view",
        "positions.revision",
        "positions.amendments",
        "positions.amendment_show",
        "board.queue",
        "board.review",
        "board.publications",
        "notifications.index",
    }
)


def mark_kept_pages(response):
    """Tag anonymous public pages so that browsers can revalidate them (304) and
    the page cache may keep them; tag a member's pages the cache may keep for them."""
    if (
        request.method == "GET"
        and response.status_code == 200
        and request.endpoint in KEPT_FOR_MEMBER_ENDPOINTS
        and "_user_id" in session
    ):
        request.environ[KEPT_FOR_MEMBER] = True
        return response
    if (
        request.method == "GET"
        and response.status_code == 200
        and request.endpoint in CACHEABLE_ENDPOINTS
        and "_user_id" not in session
        and not get_flashed_messages(with_categories=False)
    ):
        response.add_etag()
        request.environ[CACHEABLE] = True  # the public page cache may keep it
        # private: each page carries its visitor's CSRF token (the language switch).
        response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    proxies = int(app.config["PROXY_FIX"] or 0)
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.config["CONTENT_SECURITY_POLICY"] = content_security_policy(
        app.config["COLLAB_URL"]
    )
    app.before_request(refuse_nul_characters)
    app.after_request(set_security_headers)
    app.after_request(mark_kept_pages)
