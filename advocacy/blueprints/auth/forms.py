from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField
from wtforms.validators import EqualTo, InputRequired, Length

from advocacy.forms import StrongPassword, choices, email_field, name_field
from advocacy.i18n import LANGUAGE_NAMES

PASSWORD_HINT = _l(
    "At least 12 characters. A sentence of four or five unrelated words is strong"
    " and easy to remember."
)


def new_password_fields(email, name):
    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(message=_l("Choose a password.")),
            StrongPassword(email, name),
        ],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            InputRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    return password, confirm


def language_field():
    return SelectField(
        _l("Language"),
        choices=choices(LANGUAGE_NAMES.items()),
        validators=[InputRequired(message=_l("Choose a language."))],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(message=_l("Enter your password.")),
            Length(max=256, message=_l("A password has at most 256 characters.")),
        ],
    )
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    email = email_field()


class ResetForm(FlaskForm):
    """The view sets ``owner_email`` and ``owner_name`` on the instance."""

    password, confirm = new_password_fields("owner_email", "owner_name")


class AcceptInvitationForm(FlaskForm):
    name = name_field(
        _l("Your name"), description=_l("As your colleagues will see it.")
    )
    #: The view sets ``owner_email`` on the instance.
    password, confirm = new_password_fields("owner_email", "name")
    language = language_field()


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token: for buttons that act."""


class ProfileForm(FlaskForm):
    name = name_field()
    language = language_field()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            InputRequired(message=_l("Enter your current password.")),
            Length(max=256, message=_l("A password has at most 256 characters.")),
        ],
    )
    password, confirm = new_password_fields(
        lambda: current_user.email, lambda: current_user.display_name
    )
