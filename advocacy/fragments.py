"""Parts of members' pages kept rendered, under keys made of what they show.

A signed-in page cannot be kept whole: it names the reader, counts their
notifications, offers the actions their roles allow. But its costliest parts —
a comment thread with its replies, the comparison of two versions — show the
same HTML to every reader who may do the same things, until the data they show
changes. Those parts are kept (Flask-Caching: in each worker by default, in
Redis with ``CACHE_TYPE = "RedisCache"`` so that workers and hosts share them).

The key of a part is made of everything its HTML depends on: the language, the
ids and change stamps of the rows it shows, and what the reader may do there (a
member or not, staff or not, the author of one of its comments or not). A change
to the data makes a new key, so nothing is ever emptied on a write; old entries
expire after ``CACHE_DEFAULT_TIMEOUT`` seconds or when the store is full. A
part that depends on the reader's own rows carries the reader's id in its key.

Forms in a kept part carry their CSRF token as a slot, a string derived from
the secret key that no one can guess or type, filled with the reader's own
token when the part is shown (``csrf_token``).
"""

import functools
import hashlib
from collections.abc import Callable

from flask import Flask, current_app, g
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from advocacy.extensions import fragment_store


def init_app(app: Flask) -> None:
    fragment_store.init_app(app)
    app.jinja_env.globals["csrf_token"] = csrf_token


def slot(name: str) -> str:
    """A placeholder for a reader's own value in a kept part (their CSRF token,
    the page's address), derived from the secret key: no one can guess or type it."""
    return _slot(name, current_app.config["SECRET_KEY"])


@functools.cache
def _slot(name: str, secret: str) -> str:
    digest = hashlib.sha256(f"kept part slot {name} {secret}".encode()).hexdigest()
    return f"{name}-{digest[:24]}"


def csrf_token() -> str:
    """The reader's CSRF token for a form; the slot while a kept part renders."""
    if g.get("rendering_fragment"):
        return slot("csrf")
    return generate_csrf()


def key(kind: str, *parts) -> str:
    """The key of a part of kind ``kind`` whose HTML depends on ``parts``."""
    raw = "\x1f".join(str(p) for p in (get_locale(), *parts))
    return f"{kind}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


def kept(keys: dict, render: Callable[[list], dict]) -> dict:
    """The HTML of each item, from the store under ``keys[item]``, or rendered.

    ``render`` receives the items not found and returns their HTML by item; it
    runs at most once. One round trip to the store reads all the parts, one more
    stores those that were missing.
    """
    if not keys:
        return {}
    items = list(keys)
    found = dict(zip(items, fragment_store.get_many(*keys.values()), strict=True))
    missing = [item for item in items if found[item] is None]
    if missing:
        g.rendering_fragment = True
        try:
            made = {item: str(html) for item, html in render(missing).items()}
        finally:
            g.rendering_fragment = False
        fragment_store.set_many({keys[item]: html for item, html in made.items()})
        found.update(made)
    csrf = slot("csrf")
    token = None
    out = {}
    for item, html in found.items():
        if csrf in html:
            token = token or generate_csrf()
            html = html.replace(csrf, token)
        out[item] = Markup(html)  # noqa: S704 (our own templates' output)
    return out


def remembered(key_: str, compute: Callable[[], object]):
    """A value (not HTML) from the store under ``key_``, or computed and stored."""
    value = fragment_store.get(key_)
    if value is None:
        value = compute()
        fragment_store.set(key_, value)
    return value


def kept_one(key_: str, render: Callable[[], str]) -> Markup:
    """One part: from the store under ``key_``, or rendered by ``render()``."""
    return kept({0: key_}, lambda _missing: {0: render()})[0]
