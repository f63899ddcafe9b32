from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from advocacy.forms import EnumSelectField, email_field
from advocacy.models import MembershipRole


class NetworkInviteForm(FlaskForm):
    """A coordinator invites a colleague into one network."""

    email = email_field(description=_l("The invitation link is sent to this address."))
    role = EnumSelectField(
        _l("Role"),
        MembershipRole,
        default=MembershipRole.REPRESENTATIVE,
        description=_l("A coordinator may invite further colleagues."),
    )
