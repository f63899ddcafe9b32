from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from advocacy.forms import EnumSelectField
from advocacy.models.notifications import Category, Delivery


def _delivery(category: Category):
    return EnumSelectField(category.label, Delivery)


class PreferencesForm(FlaskForm):
    """How I want to hear of each category."""

    drafting = _delivery(Category.DRAFTING)
    consultation = _delivery(Category.CONSULTATION)
    votes = _delivery(Category.VOTES)
    board = _delivery(Category.BOARD)
    publications = _delivery(Category.PUBLICATIONS)

    def choices(self) -> dict[Category, Delivery]:
        return {c: getattr(self, c.value).data for c in Category}


class MarkReadForm(FlaskForm):
    """Mark all as read (only the CSRF token)."""


HINT = _l("Whatever you choose, everything stays listed here, in the app.")
