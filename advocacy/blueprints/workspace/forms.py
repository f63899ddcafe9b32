from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired

from advocacy.forms import EnumSelectField, email_field
from advocacy.models import MembershipRole
from advocacy.parsing import coerce_id


class NetworkInviteForm(FlaskForm):
    """A coordinator invites a colleague into one network."""

    email = email_field(description=_l("The invitation link is sent to this address."))
    role = EnumSelectField(
        _l("Role"),
        MembershipRole,
        default=MembershipRole.REPRESENTATIVE,
        description=_l("A coordinator may invite further colleagues."),
    )


class ImportOrientationForm(FlaskForm):
    lead = SelectField(
        _l("Lead network"),
        coerce=coerce_id,
        validators=[InputRequired(message=_l("Choose the network that leads it."))],
        description=_l("The network that leads the regional position."),
    )
