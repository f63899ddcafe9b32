"""Language choice and locale-aware formatting."""

from functools import lru_cache

from flask import current_app, has_request_context, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user
from markupsafe import Markup

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def select_locale() -> str:
    """The signed-in person's preference, else the switch's cookie, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a service run by the command line or a worker
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if (
        getattr(current_user, "is_authenticated", False)
        and current_user.locale in languages
    ):
        return current_user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or languages[0]


#: Named formats beyond Babel's short/medium/long/full.
PATTERNS = {"deadline": "d MMMM y, HH:mm"}


def datetime_filter(value, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return _formatted(format_datetime, value, PATTERNS.get(fmt, fmt))


def _formatted(formatter, value, fmt: str) -> str:
    """``formatter(value, fmt)`` in the request's language and time zone, kept:
    a page shows the same dates at every request, and Babel formats slowly."""
    return _kept(formatter, value, fmt, str(get_locale()), str(get_timezone()))


@lru_cache(maxsize=8192)
def _kept(formatter, value, fmt: str, locale: str, zone: str) -> str:
    return formatter(value, fmt)


def time_left_filter(value) -> str:
    """How long until ``value``, in words of the locale ("in 3 days")."""
    from flask_babel import format_timedelta

    from advocacy.models import utcnow

    return (
        "" if value is None else format_timedelta(value - utcnow(), add_direction=True)
    )


def date_filter(value, fmt: str = "long") -> str:
    return "" if value is None else _formatted(format_date, value, fmt)


def number_filter(value) -> str:
    """A number as the language writes it: 1 234,5 in French, 1,234.5 in English."""
    return "" if value is None else format_decimal(value)


def _translated(variables: dict, autoescape: bool, text: str) -> str:
    # a string of our own catalogue, marked safe as Jinja's own gettext does
    text = Markup(text) if autoescape else text  # noqa: S704
    return text % variables


def template_gettext(translations):
    """Jinja's gettext and ngettext (new style: escaped, then formatted with their
    keywords) bound to the request's catalogue, which Flask-Babel would otherwise
    look up again at each string of the page."""
    from jinja2 import pass_context

    @pass_context
    def gettext(context, string: str, **variables) -> str:
        return _translated(
            variables, context.eval_ctx.autoescape, translations.ugettext(string)
        )

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        return _translated(
            variables,
            context.eval_ctx.autoescape,
            translations.ungettext(singular, plural, num),
        )

    return {"gettext": gettext, "ngettext": ngettext}


def init_app(app) -> None:
    # each page rendered resolves the catalogue once (the macros a template
    # imports without its context go through Flask-Babel's own callables)
    app.context_processor(lambda: template_gettext(get_translations()))
    app.jinja_env.filters["format_number"] = number_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["time_left"] = time_left_filter
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "fr")


def local_to_utc(moment):
    """A naive date-time typed in a form (Paris time) as an aware UTC date-time."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return moment.replace(tzinfo=zone).astimezone(UTC)


def utc_to_local(moment):
    """An aware date-time in Paris time, naive, for a form's date-time field."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return moment.astimezone(zone).replace(tzinfo=None)
