"""Atom feeds of the published statements: all of them, per arena, per theme."""

from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import abort, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from advocacy.blueprints.public import bp
from advocacy.models import Arena
from advocacy.queries import statements as queries

EMPTY_FEED_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)
#: How many statements a feed carries, newest first.
FEED_LENGTH = 50


def _feed_filter():
    """The statements and the feed's subtitle, from ``?arena=`` or ``?theme=``."""
    unknown = set(request.args) - {"arena", "theme"}
    if unknown:
        abort(
            400, description=_("A feed is chosen by arena or by theme, nothing else.")
        )
    arena = theme = None
    title = _("Statements of %(org)s", org=current_app.config["ORGANISATION_NAME"])
    if "arena" in request.args:
        arena = next((a for a in Arena if a.value == request.args["arena"]), None)
        if arena is None:
            abort(
                400,
                description=_(
                    "Unknown arena: choose one of %(arenas)s.",
                    arenas=", ".join(a.value for a in Arena),
                ),
            )
        title += " — " + str(arena.label)
    if "theme" in request.args:
        theme = queries.theme_by_slug(request.args["theme"])
        if theme is None:
            abort(404, description=_("There is no theme with this name."))
        title += " — " + theme.name
    return queries.for_feed(FEED_LENGTH, arena=arena, theme=theme), title


@bp.get("/statements.atom")
def feed():
    """The latest statements as an Atom feed."""
    statements, title = _feed_filter()
    feed = FeedGenerator()
    feed.id(request.url)
    feed.title(title)
    feed.subtitle(
        _(
            "The advocacy positions published by the member networks and validated by the board."
        )
    )
    feed.link(href=request.url, rel="self", type="application/atom+xml")
    feed.link(
        href=url_for("public.statements", _external=True, **request.args.to_dict()),
        rel="alternate",
        type="text/html",
    )
    feed.language(str(get_locale()))
    feed.author(name=current_app.config["ORGANISATION_NAME"])
    feed.generator(current_app.config["SITE_NAME"])
    # Atom wants a date even for an empty feed: a fixed one keeps its ETag stable.
    feed.updated(statements[0].published_at if statements else EMPTY_FEED_UPDATED)
    for statement in reversed(statements):  # feedgen prepends: newest ends on top
        version = statement.current_version
        url = url_for(
            "public.statement_version",
            slug=statement.slug,
            number=version.number,
            _external=True,
        )
        entry = feed.add_entry()
        entry.id(url)
        entry.title(version.title)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(version.published_at)
        entry.updated(version.published_at)
        entry.author(name=statement.lead_network.name)
        if version.summary:
            entry.summary(version.summary)
        entry.content(version.body_html, type="html")
        for theme in version.themes:
            entry.category(
                term=theme["slug"],
                label=theme["name_en" if str(get_locale()) == "en" else "name_fr"],
            )
    response = current_app.response_class(
        feed.atom_str(pretty=False), mimetype="application/atom+xml"
    )
    if statements:
        response.last_modified = statements[0].published_at
    return response
