from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import (
    InputRequired,
    Length,
)

from advocacy.forms import (
    DayField,
    EnumSelectField,
    GetForm,
    choices,
    question_field,
    strip,
    web_address_field,
)
from advocacy.i18n import LANGUAGE_NAMES
from advocacy.models import FollowUpKind


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Language"),
        choices=choices(LANGUAGE_NAMES.items()),
        validators=[InputRequired(message=_l("Choose a language."))],
    )
    next = HiddenField()


class FollowUpForm(FlaskForm):
    happened_on = DayField(
        _l("Date"), validators=[InputRequired(message=_l("Give the date."))]
    )
    kind = EnumSelectField(_l("What happened"), FollowUpKind)
    text = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Describe what happened.")),
            Length(max=2000, message=_l("At most 2,000 characters.")),
        ],
    )
    link = web_address_field(_l("Link (optional)"), 500)


class SearchForm(GetForm):
    q = question_field(_l("Search the statements"), required=True)
