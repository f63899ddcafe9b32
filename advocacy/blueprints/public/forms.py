from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired

from advocacy.forms import choices
from advocacy.i18n import LANGUAGE_NAMES


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Language"),
        choices=choices(LANGUAGE_NAMES.items()),
        validators=[InputRequired(message=_l("Choose a language."))],
    )
    next = HiddenField()
