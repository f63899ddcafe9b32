"""Web helpers that several blueprints share: loaders and request hooks.

A blueprint takes what it shares with another from here, never from the other's
modules.
"""

import logging
import time

import sqlalchemy as sa
from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from advocacy.extensions import db
from advocacy.forms import StatementFilterForm, choices
from advocacy.models import Position, Statement
from advocacy.permissions import can_view_position
from advocacy.queries import positions as position_queries
from advocacy.queries import statements as statement_queries
from advocacy.services import statements as statements_service
from advocacy.services import votes as votes_service

logger = logging.getLogger(__name__)


def position_or_404(position_id: int) -> Position:
    """The position, with what its pages show; 404 to anyone who may not see it."""
    position = position_queries.for_page(position_id)
    if position is None or not can_view_position(current_user, position):
        abort(404)
    if votes_service.is_due(position):
        # its deadline has passed: the first reader has it counted
        if votes_service.close_if_due(position):
            db.session.commit()
        position = position_queries.for_page(position_id)
    return position


#: The steps that cannot be undone: what the person is asked, what follows, and
#: the button that confirms. The JavaScript dialog and the page without it say the same.
IRREVERSIBLE = {
    "publish": (
        _l("Publish the statement?"),
        _l(
            "The statement will be public and can no longer be changed; a new"
            " version will remain possible."
        ),
        _l("Yes, publish the statement"),
    ),
    "submit": (
        _l("Submit the text to the board?"),
        _l(
            "The consolidated text goes to the board and can no longer be edited"
            " while the board reviews it; the board may ask for changes."
        ),
        _l("Yes, submit to the board"),
    ),
    "consolidate": (
        _l("Write the adopted amendments into the text?"),
        _l(
            "Each adopted amendment becomes a new version of the text, credited to"
            " its network; those whose section changed are left to integrate by"
            " hand."
        ),
        _l("Yes, write them into the text"),
    ),
    "end_link": (
        _l("End the link with this installation?"),
        _l(
            "The other installation is told; nothing more goes either way. A new"
            " link must be asked for and accepted again."
        ),
        _l("Yes, end the link"),
    ),
}


def confirm_attributes(step: str) -> dict[str, str]:
    """What a form of an irreversible step carries for the confirmation dialog."""
    question, consequences, button = IRREVERSIBLE[step]
    return {
        "data-confirm": str(question),
        "data-confirm-text": str(consequences),
        "data-confirm-yes": str(button),
        "data-confirm-no": _("Cancel"),
    }


def mention_attributes(position) -> dict[str, str]:
    """What a textarea on a position carries for "@" suggestions (js/mentions.js)."""
    return {
        "data-mentions": url_for(
            "positions.mention_suggestions", position_id=position.id
        ),
        "data-mentions-label": _("People and networks to mention"),
        # the script puts the number in place of %d
        "data-mentions-found": _("%d suggestions: press the down arrow to choose one."),
    }


def ask_first(step: str, back: str):
    """The confirmation page of an irreversible step, unless the form says it was
    confirmed (by this page, or by the dialog when JavaScript runs); ``None`` then.

    The page restates the consequences and posts the same fields again.
    """
    if request.form.get("confirmed") == "yes":
        return None
    question, consequences, button = IRREVERSIBLE[step]
    fields = [
        (name, value)
        for name, values in request.form.lists()
        if name not in ("csrf_token", "confirmed")
        for value in values
    ]
    return render_template(
        "confirm.html",
        question=question,
        consequences=consequences,
        button=button,
        action=request.path,
        fields=fields,
        back=back,
    )


def release_due_publications():
    """Publish what was scheduled for now, when the public comes to read it.

    A ``before_request`` hook of the public pages and the API. At most once per
    ``PUBLICATION_CHECK_SECONDS`` in each process, and never in the reader's way:
    a failure is logged and the page served as it is. The ``flask statements
    release`` command does the same from cron.
    """
    state = current_app.extensions.setdefault("porte_voix_release", {"next": 0.0})
    if time.monotonic() < state["next"]:
        return
    state["next"] = time.monotonic() + current_app.config["PUBLICATION_CHECK_SECONDS"]
    try:
        if statements_service.release_due_publications():
            db.session.commit()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        logger.exception("Releasing the scheduled publications failed")


def statement_filter_form(formdata=None) -> StatementFilterForm:
    """The statements' filters, read from the query string, with the choices the
    data allows (the public list and the API)."""
    form = StatementFilterForm(formdata if formdata is not None else request.args)
    all_ = [("", _("All"))]
    form.theme.choices = choices(
        all_ + [(t.slug, t.name) for t in statement_queries.themes_in_order()]
    )
    form.year.choices = choices(
        all_ + [(str(y), str(y)) for y in statement_queries.publication_years()]
    )
    return form


def statement_or_404(slug: str) -> Statement:
    """The published statement at ``slug``, with its current version; 404 otherwise."""
    statement = statement_queries.published_at_slug(slug)
    if statement is None or statement.current_version is None:
        abort(404, description=_("There is no published statement at this address."))
    return statement


def chosen_network(networks: list, wanted_id: int | None):
    """The network a form asked to speak for, among those the person may speak
    for; else the first of them (None when there is none)."""
    return next(
        (n for n in networks if n.id == wanted_id), networks[0] if networks else None
    )


def label_of(kind, value: str) -> str:
    """The name of a family or a département (an enum with ``label``), or what
    another installation sent when it is unknown here."""
    try:
        return kind(value).label
    except ValueError:
        return value
