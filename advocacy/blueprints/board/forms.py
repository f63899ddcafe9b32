from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from advocacy.forms import EnumSelectField, MomentField, choices, strip
from advocacy.models import BoardChoice
from advocacy.parsing import coerce_id


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


class RecusalForm(FlaskForm):
    reason = TextAreaField(
        _l("Why you step aside (optional)"),
        filters=[strip],
        validators=[Length(max=1000, message=_l("At most 1,000 characters."))],
        description=_l("Shown to the board; the public statement counts recusals."),
    )


class PublicationForm(FlaskForm):
    """Publish one or several approved positions together, now or at a chosen moment."""

    positions = SelectMultipleField(
        _l("Statements to release"),
        coerce=coerce_id,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[InputRequired(message=_l("Choose at least one statement."))],
    )
    when = RadioField(
        _l("When"),
        choices=choices([("now", _l("Now")), ("later", _l("At a chosen moment"))]),
        default="now",
        validators=[InputRequired(message=_l("Choose when to publish."))],
    )
    publish_at = MomentField(
        _l("Date and time of publication"),
        validators=[Optional()],
        description=_l("Paris time. The statements appear together at that moment."),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.when.data == "later" and self.publish_at.data is None:
            self.publish_at.errors = [_l("Choose the date and time of publication.")]
            return False
        return valid
