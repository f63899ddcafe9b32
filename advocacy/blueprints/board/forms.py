from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from advocacy.forms import EnumSelectField, strip
from advocacy.models import BoardChoice


class BoardDecisionForm(FlaskForm):
    choice = EnumSelectField(_l("Your decision"), BoardChoice)
    motivation = TextAreaField(
        _l("Motivation"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Give the motivation of your decision.")),
            Length(max=5000, message=_l("At most 5,000 characters.")),
        ],
        description=_l("Shown to the members, with your name."),
    )
