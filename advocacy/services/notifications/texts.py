"""How each notification reads, in the reader's language."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from advocacy.models.notifications import Notification

#: How each kind of notification reads; the payload fills it in.
MESSAGES = {
    "coauthor_invited": _l("%(network)s is now a co-author of “%(title)s”."),
    "consultation_open": _l(
        "The consultation on “%(title)s” is open until %(closes)s."
    ),
    "consultation_closing": _l(
        "The consultation on “%(title)s” closes on %(closes)s, and %(network)s has"
        " neither commented nor proposed an amendment yet."
    ),
    "amendment_decided": _l(
        "The lead network decided on your amendment %(number)s to “%(title)s”:"
        " %(decision)s."
    ),
    "amendment_edited": _l(
        "%(network)s reworded its amendment %(number)s to “%(title)s”, which your"
        " network supports."
    ),
    "mention": _l("%(name)s mentioned you or your network in “%(title)s”."),
    "comment_reply": _l("%(network)s replied to your comment on “%(title)s”."),
    "comment_hidden": _l(
        "Your comment on “%(title)s” was hidden by the moderation. Reason: %(reason)s"
    ),
    "amendments_to_decide": _l(
        "The consultation on “%(title)s” is closed: decide on the %(count)s"
        " amendment(s) still waiting, then open the vote."
    ),
    "vote_open": _l("The vote on “%(title)s” is open until %(closes)s."),
    "vote_closing": _l(
        "The vote on “%(title)s” closes on %(closes)s, and %(network)s has not voted"
        " on every motion yet."
    ),
    "vote_closed": _l("The vote on “%(title)s” is closed: %(result)s."),
    "board_submitted": _l("“%(title)s” was submitted to the board."),
    "board_outcome": _l("The board decided on “%(title)s”: %(outcome)s."),
    "statement_published": _l("“%(title)s” is published."),
}
DECISIONS = {
    "to_vote": _l("put to the vote"),
    "integrated": _l("written into the text"),
    "declined": _l("declined"),
}
OUTCOMES = {
    "approved": _l("approved"),
    "draft": _l("sent back for changes"),
    "rejected": _l("rejected"),
}
RESULTS = {True: _l("the text is adopted"), False: _l("the text is not adopted")}


def describe(notification: Notification) -> str:
    """The notification as a sentence, in the current language."""
    from advocacy.i18n import datetime_filter

    values = dict(notification.payload)
    if values.get("closes"):
        values["closes"] = datetime_filter(
            datetime.fromisoformat(values["closes"]), "deadline"
        )
    if "decision" in values:
        values["decision"] = str(DECISIONS.get(values["decision"], values["decision"]))
    if "outcome" in values:
        values["outcome"] = str(OUTCOMES.get(values["outcome"], values["outcome"]))
    if "passed" in values:
        values["result"] = str(RESULTS[bool(values["passed"])])
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.kind
    return str(template) % _Missing(values)


class _Missing(dict):
    def __missing__(self, key):
        return "…"
