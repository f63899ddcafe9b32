from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from advocacy.forms import (
    DayField,
    EnumSelectField,
    GetForm,
    PublicNetworkFilterForm,
    WholeNumberField,
    choices,
    email_field,
    name_field,
    strip,
)
from advocacy.models import MembershipRole
from advocacy.parsing import coerce_id

ALL = _l("All")


STATUS_CHOICES = [
    ("active", _l("Active")),
    ("inactive", _l("Deactivated")),
    ("all", ALL),
]


class NetworkFilterForm(PublicNetworkFilterForm):
    status = SelectField(
        _l("Status"), choices=choices(STATUS_CHOICES), default="active"
    )


class PersonFilterForm(GetForm):
    q = StringField(
        _l("Name or email contains"),
        filters=[strip],
        validators=[Length(max=200, message=_l("At most 200 characters."))],
    )
    role = SelectField(
        _l("Role"),
        choices=choices(
            [
                ("", ALL),
                ("staff", _l("Staff")),
                ("board", _l("Board members")),
                ("coordinator", _l("Coordinators")),
            ]
        ),
        default="",
    )
    status = SelectField(_l("Status"), choices=choices(STATUS_CHOICES), default="all")


class InviteForm(FlaskForm):
    email = email_field(description=_l("The invitation link is sent to this address."))
    network = SelectField(
        _l("Network"),
        coerce=coerce_id,
        validators=[InputRequired(message=_l("Choose a network."))],
    )
    role = EnumSelectField(
        _l("Role"),
        MembershipRole,
        default=MembershipRole.REPRESENTATIVE,
        description=_l("A coordinator may invite further colleagues into the network."),
    )


class PersonForm(FlaskForm):
    name = name_field()
    is_board = BooleanField(_l("Board member (validates statements)"))
    is_admin = BooleanField(_l("Staff (runs the platform)"))


class MembershipAddForm(FlaskForm):
    network = SelectField(
        _l("Network"),
        coerce=coerce_id,
        validators=[InputRequired(message=_l("Choose a network."))],
    )
    role = EnumSelectField(
        _l("Role"), MembershipRole, default=MembershipRole.REPRESENTATIVE
    )


class MembershipRoleForm(FlaskForm):
    role = EnumSelectField(_l("Role"), MembershipRole)


class ThemeForm(FlaskForm):
    name_fr = StringField(
        _l("Name in French"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter the French name.")),
            Length(max=120, message=_l("At most 120 characters.")),
        ],
    )
    name_en = StringField(
        _l("Name in English"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter the English name.")),
            Length(max=120, message=_l("At most 120 characters.")),
        ],
    )
    description_fr = TextAreaField(
        _l("Description in French"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("At most 2,000 characters."))],
    )
    description_en = TextAreaField(
        _l("Description in English"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("At most 2,000 characters."))],
    )
    sort_order = WholeNumberField(
        _l("Order in lists"),
        default=0,
        low=0,
        high=1000,
        message=_l("A whole number from 0 to 1,000."),
        validators=[InputRequired(message=_l("Enter a whole number."))],
    )
    is_active = BooleanField(_l("Offered for new positions"), default=True)


class AuditFilterForm(GetForm):
    actor = StringField(
        _l("Actor's email"),
        filters=[strip],
        validators=[Length(max=254, message=_l("At most 254 characters."))],
    )
    action = StringField(
        _l("Action"),
        filters=[strip],
        validators=[Length(max=64, message=_l("At most 64 characters."))],
        description=_l("For example network.update, or just network."),
    )
    object_type = SelectField(
        _l("Object"),
        choices=choices(
            [
                ("", ALL),
                ("network", _l("Network")),
                ("user", _l("Person")),
                ("membership", _l("Membership")),
                ("invitation", _l("Invitation")),
                ("theme", _l("Theme")),
            ]
        ),
        default="",
    )
    object_id = WholeNumberField(
        _l("Object number"),
        low=1,
        message=_l("A whole number from 1."),
        validators=[Optional()],
    )
    date_from = DayField(_l("From"), validators=[Optional()])
    date_to = DayField(_l("To"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


class ModerationForm(FlaskForm):
    comments = SelectMultipleField(
        _l("Comments"),
        coerce=coerce_id,
        validators=[InputRequired(message=_l("Select at least one comment."))],
    )
    action = SelectField(
        _l("Action"),
        choices=choices([("hide", _l("Hide")), ("restore", _l("Restore"))]),
        validators=[InputRequired(message=_l("Choose hide or restore."))],
    )
    reason = StringField(
        _l("Reason"),
        filters=[strip],
        validators=[Length(max=500, message=_l("At most 500 characters."))],
        description=_l("Required to hide: shown to staff, and to the author."),
    )

    def validate_reason(self, field):
        if self.action.data == "hide" and not field.data:
            raise ValidationError(_l("Give the reason for hiding."))


class LinkForm(FlaskForm):
    """Ask another installation for a link."""

    address = StringField(
        _l("Address of the other installation"),
        description=_l("Its home page, for example https://porte-voix.ess-france.org"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter the address of the installation.")),
            Length(max=500, message=_l("At most 500 characters.")),
        ],
    )
    purpose = RadioField(
        _l("This installation"),
        choices=choices(
            [
                (
                    "contributes_to",
                    _l(
                        "contributes to it: our statements for the national debate"
                        " go to it"
                    ),
                ),
                (
                    "receives_orientations",
                    _l(
                        "receives its orientations: its positions come to us for"
                        " amendment"
                    ),
                ),
            ]
        ),
        validators=[
            InputRequired(message=_l("Choose what the link is for.")),
            AnyOf(
                ["contributes_to", "receives_orientations"],
                message=_l("Choose what the link is for."),
            ),
        ],
        validate_choice=False,  # AnyOf says it in our words
    )


class SendStatementForm(FlaskForm):
    """Send a published statement to the national installations by hand."""

    statement = StringField(
        _l("Address of the statement"),
        description=_l("Its address on this site, or the last part of it"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter the address of a published statement.")),
            Length(max=500, message=_l("At most 500 characters.")),
        ],
    )
