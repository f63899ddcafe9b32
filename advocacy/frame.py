"""The frame of every page — stylesheets, header, main menu, footer — kept rendered.

The frame is rendered for every request and changes rarely, so it is kept
(advocacy/fragments.py) under a key made of what it shows: the language, whether
the reader is signed in, the name shown, the roles that add menu entries, the
unread count and the menu entry of the current page. The address of the page,
which the language switch sends the reader back to, is a slot filled on the way
out, like the CSRF token: one kept header serves every page of a section.
"""

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from advocacy import fragments
from advocacy.permissions import is_admin, is_board, is_member, is_publisher
from advocacy.queries.notifications import UNREAD_SHOWN
from advocacy.web import safe_next

#: The menu entry of an endpoint, or of a whole blueprint.
ENTRY_OF_ENDPOINT = {
    "public.home": "home",
    "public.statements": "statements",
    "public.statement": "statements",
    "public.statement_version": "statements",
    "public.networks": "networks",
    "public.network": "networks",
    "public.indicators_page": "indicators",
    "public.search": "search",
    "public.about": "about",
    "board.queue": "board",
    "board.review": "board",
    "board.publications": "publications",
    "auth.account": "account",
    "auth.login": "login",
}
ENTRY_OF_BLUEPRINT = {
    "workspace": "workspace",
    "notifications": "notifications",
    "positions": "positions",
    "admin": "admin",
}


def init_app(app) -> None:
    app.jinja_env.globals["page_frame"] = page_frame


def current_entry() -> str:
    """The menu entry of the page being answered ("" if none)."""
    endpoint = request.endpoint or ""
    return ENTRY_OF_ENDPOINT.get(endpoint) or ENTRY_OF_BLUEPRINT.get(
        request.blueprint or "", ""
    )


def page_frame() -> dict[str, Markup]:
    """The head links, header and footer of this page, for this reader."""
    from advocacy.services.notifications import unread_count

    user = current_user
    signed_in = bool(user.is_authenticated)
    reader = {
        "signed_in": signed_in,
        "display_name": user.display_name if signed_in else "",
        "member": is_member(user),
        "board": is_board(user),
        "publisher": is_publisher(user),
        "admin": is_admin(user),
    }
    unread = unread_count(user) if reader["member"] else 0
    current = current_entry()
    locale = str(get_locale())
    languages = [code for code in current_app.config["LANGUAGES"] if code != locale]
    here_slot = fragments.slot("here")
    language_slots = {code: fragments.slot(f"language-{code}") for code in languages}
    context = {
        **reader,
        "unread_count": unread,
        "unread_label": f"{UNREAD_SHOWN}+" if unread > UNREAD_SHOWN else str(unread),
        "current": current,
        "here_slot": here_slot,
        "language_slot": language_slots.get,
    }
    parts = fragments.kept(
        {
            "head": fragments.key("frame-head"),
            "header": fragments.key("frame-header", current, unread, *reader.values()),
            "footer": fragments.key("frame-footer"),
        },
        lambda missing: {
            part: render_template(f"frame/{part}.html", **context) for part in missing
        },
    )
    here = safe_next(
        request.full_path if request.query_string else request.path
    ) or url_for("public.home")
    header = str(parts["header"])
    if signed_in:
        header = header.replace(here_slot, str(escape(here)))
    else:
        for code, slot in language_slots.items():
            link = url_for("public.choose_language", code=code, next=here)
            header = header.replace(slot, str(escape(link)))
    parts["header"] = Markup(header)  # noqa: S704 (our template, escaped values)
    return parts
