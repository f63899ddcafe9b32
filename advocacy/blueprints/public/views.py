import logging

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advocacy import fragments
from advocacy.blueprints.common import release_due_publications
from advocacy.blueprints.public import bp
from advocacy.blueprints.public.forms import LanguageForm
from advocacy.errors import render_error
from advocacy.extensions import db
from advocacy.i18n import LANGUAGE_COOKIE
from advocacy.models import Arena, EssFamily
from advocacy.queries import indicators, networks, statements
from advocacy.services import accounts
from advocacy.web import safe_next

logger = logging.getLogger(__name__)


bp.before_request(release_due_publications)


@bp.get("/")
def home():
    """The public home page: what Porte-voix is, the themes and the networks."""
    themes = networks.active_themes()
    latest = statements.latest(6)
    # figures of the whole site (15,000 networks nationally), counted once a write
    generation = indicators.generation()
    counts = fragments.remembered(
        fragments.key("family-counts", generation), networks.family_counts
    )
    arenas = fragments.remembered(
        fragments.key("arena-counts", generation), statements.arena_counts
    )
    return render_template(
        "public/home.html",
        latest=latest,
        arena_counts=[(arena, arenas.get(arena.value, 0)) for arena in Arena],
        themes=themes,
        family_counts=[(family, counts.get(family, 0)) for family in EssFamily],
        network_total=sum(counts.values()),
    )


@bp.get("/about")
def about():
    """What Porte-voix is for and how a position becomes a statement."""
    return render_template("public/about.html")


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement."""
    return render_template("public/accessibility.html")


@bp.get("/legal")
def legal():
    """Legal notice: publisher, host, personal data."""
    return render_template("public/legal.html")


@bp.post("/language")
def set_language():
    """Switch the interface language (remembered in a cookie and on the account)."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return render_error(
            400, form.language.errors[0] if form.language.errors else None
        )
    language = form.language.data
    if current_user.is_authenticated:
        accounts.set_language(current_user, language)
        db.session.commit()
    return _remember_language(language, form.next.data)


@bp.get("/language/<slug:code>")
def choose_language(code: str):
    """Switch language as a visitor: a plain link, so public pages need no session.

    It only sets the language cookie; a signed-in person's preference is saved by
    the form (POST, with its CSRF token) that their pages show instead.
    """
    if code not in current_app.config["LANGUAGES"]:
        abort(404, description=_("This language is not available."))
    return _remember_language(code, request.args.get("next"))


def _remember_language(language: str, target: str | None):
    response = redirect(safe_next(target) or url_for("public.home"))
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
