from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from advocacy import search
from advocacy.forms import (
    ChoiceField,
    DayField,
    EnumSelectField,
    GetForm,
    choices,
    strip,
    web_address_field,
)
from advocacy.i18n import LANGUAGE_NAMES
from advocacy.models import Arena, Department, EssFamily, FollowUpKind


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


def searchable(form, field):
    """The question has at least one word to look for (not only punctuation)."""
    if field.data and search.parse(field.data).is_empty:
        raise ValidationError(
            _l(
                "Type at least one word to search for, not only punctuation or very common words."
            )
        )


def question_field(label, required=False):
    return StringField(
        label,
        filters=[strip],
        validators=[
            *(
                [DataRequired(message=_l("Type what you are looking for."))]
                if required
                else [Optional()]
            ),
            Length(
                max=search.MAX_QUERY_LENGTH,
                message=_l(
                    "A search has at most %(max)d characters.",
                    max=search.MAX_QUERY_LENGTH,
                ),
            ),
            searchable,
        ],
    )


class SearchForm(GetForm):
    q = question_field(_l("Search the statements"), required=True)


class StatementFilterForm(GetForm):
    q = question_field(_l("Words"))
    theme = ChoiceField(_l("Theme"))
    arena = EnumSelectField(_l("Arena"), Arena, blank=_l("All"))
    family = EnumSelectField(_l("ESS family"), EssFamily, blank=_l("All"))
    department = EnumSelectField(_l("Département"), Department, blank=_l("All"))
    network = ChoiceField(_l("Network"))
    year = ChoiceField(_l("Year"))
