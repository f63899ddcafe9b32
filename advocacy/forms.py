"""Fields and validators shared by the forms of every blueprint."""

import enum

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import Select, html_params

from advocacy import search
from advocacy.models import Arena, Department, EssFamily, NetworkKind
from advocacy.parsing import DB_INT_MAX, whole_number
from advocacy.passwords import password_problems


def choices(pairs) -> list[SelectChoice]:
    """Select options from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def unix_newlines(value):
    """Browsers send a textarea's lines ended by CRLF: compare and store them as LF."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def strip(value):
    return value.strip() if isinstance(value, str) else value


class GetForm(FlaskForm):
    """A form read from the query string (filters): no CSRF token, no field prefix."""

    class Meta:
        csrf = False


def email_field(label=None, **kwargs) -> EmailField:
    return EmailField(
        label or _l("Email address"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter an email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(
                message=_l("Enter a valid email address, like name@example.org."),
                check_deliverability=False,
            ),
        ],
        **kwargs,
    )


def _http_only(_form, field):
    if field.data and not field.data.lower().startswith(("http://", "https://")):
        raise ValidationError(_l("The address must start with http:// or https://."))


def web_address_field(label, max_length: int, **kwargs) -> StringField:
    """An optional http(s) address (a website, a link to a source)."""
    return StringField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Length(
                max=max_length,
                message=_l("At most %(count)d characters.", count=max_length),
            ),
            _http_only,
            URL(
                require_tld=True,
                message=_l("Enter a full web address, like https://example.org."),
            ),
        ],
        **kwargs,
    )


def name_field(label=None, **kwargs) -> StringField:
    return StringField(
        label or _l("Name"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter a name.")),
            Length(max=120, message=_l("A name has at most 120 characters.")),
        ],
        **kwargs,
    )


class StrongPassword:
    """Refuse short, guessable passwords, and ones equal to the email or name.

    ``email`` and ``name`` name a field or a plain attribute of the form instance
    (set by the view), or are callables returning the values to compare with.
    """

    def __init__(self, email="email", name="name"):
        self.email, self.name = email, name

    def _value(self, form, ref):
        if callable(ref):
            return ref() or ""
        value = getattr(form, ref, "")
        return (value.data or "") if hasattr(value, "data") else str(value or "")

    def __call__(self, form, field):
        problems = password_problems(
            field.data or "",
            email=self._value(form, self.email),
            name=self._value(form, self.name),
        )
        if problems:
            raise ValidationError(problems[0])


class EnumSelectField(SelectField):
    """A select over an Enum's values, labelled by the members' ``label``.

    With ``blank``, an empty choice is offered first and read as None.
    """

    def __init__(self, label, enum_cls: type[enum.Enum], blank=None, **kwargs):
        self.enum_cls = enum_cls
        pairs = [("", blank)] if blank is not None else []
        pairs += [(m.value, m.label) for m in enum_cls]

        def coerce(value):
            if value is None or isinstance(value, enum_cls):
                return value
            if value == "":
                return None
            return enum_cls(value)

        kwargs.setdefault("validate_choice", True)
        super().__init__(label, choices=choices(pairs), coerce=coerce, **kwargs)

    def pre_validate(self, form):
        if self.process_errors:  # already said why in process_formdata
            raise StopValidation()
        if self.data is None and not any(c.value == "" for c in self.choices):
            raise ValidationError(_l("Choose one of the options."))
        super().pre_validate(form)

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = self.coerce(valuelist[0])
            except ValueError as exc:
                self.data = None
                raise ValueError(_l("Choose one of the options.")) from exc


class LongSelect(Select):
    """A select of many options (networks, years), rendered in one pass."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        chosen = "" if field.data is None else str(field.data)
        options = "".join(
            f'<option value="{escape(c.value)}"'
            f"{' selected' if str(c.value) == chosen else ''}>{escape(c.label)}</option>"
            for c in field.choices
        )
        return Markup(  # noqa: S704
            f"<select {html_params(name=field.name, **kwargs)}>{options}</select>"
        )


class ChoiceField(SelectField):
    """A list whose choices the view sets from the data; other values are refused."""

    widget = LongSelect()

    def pre_validate(self, form):
        if self.data and self.data not in {c.value for c in self.choices}:
            raise ValidationError(_l("Choose one of the options."))


class WholeNumberField(IntegerField):
    """A whole number typed in a form, from ``low`` to ``high`` (ASCII digits only)."""

    def __init__(
        self, label=None, validators=None, *, low=0, high=DB_INT_MAX, message=None, **kw
    ):
        super().__init__(label, validators, **kw)
        self.low, self.high = low, high
        self.message = message or _l(
            "Enter a whole number from %(low)d to %(high)d.", low=low, high=high
        )

    def _value(self):
        # what was typed is not echoed back: a number box cannot hold "abc"
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        self.data = whole_number(valuelist[0].strip(), low=self.low, high=self.high)
        if self.data is None:
            raise ValueError(self.message)


class MomentField(DateTimeLocalField):
    """A date and time typed in Paris time (``datetime-local``), in years 2000-2999.

    Outside those years the conversion to UTC could overflow: the field refuses
    them with a clear message, and never echoes back what is not a date.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(label, validators, **kwargs)

    def _value(self):
        return self.data.strftime("%Y-%m-%dT%H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not 2000 <= self.data.year <= 2999:
            self.data = None
            raise ValueError(_l("Choose a date between the years 2000 and 2999."))


class DayField(DateField):
    """A day (``date`` input), in years 1900-2999, never echoing what is not a date."""

    def _value(self):
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not 1900 <= self.data.year <= 2999:
            self.data = None
            raise ValueError(_l("Choose a date between the years 1900 and 2999."))


# --- Networks: staff's form (also the CSV import's check) and the public filters ---


class NetworkForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Enter the network's name.")),
            Length(max=200, message=_l("A name has at most 200 characters.")),
        ],
    )
    kind = EnumSelectField(_l("Kind"), NetworkKind)
    family = EnumSelectField(_l("ESS family"), EssFamily)
    department = EnumSelectField(_l("Département"), Department)
    description = TextAreaField(
        _l("Short description"),
        filters=[strip],
        validators=[Length(max=1000, message=_l("At most 1,000 characters."))],
        description=_l("One or two sentences, shown on the network's page."),
    )
    website = web_address_field(_l("Website"), 300)


class PublicNetworkFilterForm(GetForm):
    """The public directory's filters."""

    q = StringField(
        _l("Name contains"),
        filters=[strip],
        validators=[Length(max=200, message=_l("At most 200 characters."))],
    )
    family = EnumSelectField(_l("ESS family"), EssFamily, blank=_l("All"))
    department = EnumSelectField(_l("Département"), Department, blank=_l("All"))
    kind = EnumSelectField(_l("Kind"), NetworkKind, blank=_l("All"))


# --- Statements: the question of a search, the public list's filters (also the API's) ---


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


class StatementFilterForm(GetForm):
    q = question_field(_l("Words"))
    theme = ChoiceField(_l("Theme"))
    arena = EnumSelectField(_l("Arena"), Arena, blank=_l("All"))
    family = EnumSelectField(_l("ESS family"), EssFamily, blank=_l("All"))
    department = EnumSelectField(_l("Département"), Department, blank=_l("All"))
    #: A network's slug, or part of its name: a list of thousands of networks
    #: would weigh more than the page it filters.
    network = StringField(
        _l("Network"),
        description=_l("Type part of the name of a network that wrote or co-wrote."),
        filters=[strip],
        validators=[Length(max=120, message=_l("At most 120 characters."))],
    )
    year = ChoiceField(_l("Year"))
