from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from advocacy.forms import (
    EnumSelectField,
    GetForm,
    MomentField,
    choices,
    strip,
    unix_newlines,
)
from advocacy.models import (
    AmendmentKind,
    Arena,
    BallotChoice,
    PositionState,
    ReportReason,
)
from advocacy.parsing import coerce_id
from advocacy.services.positions import BODY_MAX, SUMMARY_MAX, TITLE_MAX

MESSAGE_MAX = 200
ALL = _l("All")


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes; none ticked is an empty list, a value not offered is refused.

    (No ``Optional()``: it would clear the refusal of a value not offered.)
    """

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def title_field():
    return StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Give the position a title.")),
            Length(max=TITLE_MAX, message=_l("A title has at most 200 characters.")),
        ],
    )


def summary_field():
    return TextAreaField(
        _l("Summary"),
        filters=[strip],
        validators=[
            Length(
                max=SUMMARY_MAX, message=_l("A summary has at most 1,000 characters.")
            )
        ],
        description=_l("Plain text, a few sentences: what the position asks for."),
    )


def body_field():
    return TextAreaField(
        _l("Text"),
        validators=[
            Length(max=BODY_MAX, message=_l("The text has at most 200,000 characters."))
        ],
        description=_l(
            "Markdown: # for a heading (each heading starts a section), **bold**, *italics*,"
            " - for a list, [text](https://…) for a link, [^1] for a footnote."
        ),
    )


def message_field():
    return StringField(
        _l("What changed"),
        filters=[strip],
        validators=[Length(max=MESSAGE_MAX, message=_l("At most 200 characters."))],
        description=_l(
            "A few words for the history, e.g. “adds the figures on employment”."
        ),
    )


def themes_field():
    return MultiCheckboxField(_l("Themes"), coerce=coerce_id)


def arenas_field():
    return MultiCheckboxField(
        _l("Arenas of the debate"),
        choices=choices((a.value, a.label) for a in Arena),
        coerce=str,
    )


class PositionForm(FlaskForm):
    title = title_field()
    summary = summary_field()
    body = body_field()
    lead = SelectField(
        _l("Lead network"),
        coerce=coerce_id,
        validators=[
            InputRequired(message=_l("Choose the network that leads the position."))
        ],
        description=_l("The network that steers the drafting; you speak for it."),
    )
    themes = themes_field()
    arenas = arenas_field()


class EditForm(FlaskForm):
    title = title_field()
    summary = summary_field()
    body = body_field()
    message = message_field()
    base_revision = HiddenField(
        validators=[
            InputRequired(
                message=_l(
                    "The form lost track of the version you started from: reload the page."
                )
            )
        ]
    )
    network = SelectField(_l("On behalf of"), coerce=coerce_id, validators=[Optional()])


class ResolveForm(EditForm):
    """A conflict's resolution: my texts as I saved them, the version I started
    from, and the version saved meanwhile (``base_revision``) that I reconcile with."""

    started_from = HiddenField(
        validators=[
            InputRequired(
                message=_l(
                    "The form lost track of the version you started from: reload the page."
                )
            )
        ]
    )


class LiveSaveForm(FlaskForm):
    """Save a version of the live text: the text itself comes from the room."""

    message = message_field()
    network = SelectField(_l("On behalf of"), coerce=coerce_id, validators=[Optional()])


class DetailsForm(FlaskForm):
    themes = themes_field()
    arenas = arenas_field()


class AnnexForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(message=_l("Choose a file to attach."))],
        description=_l(
            "PDF, ODT, ODS, DOCX, XLSX, PNG or JPEG, up to 10 MiB. The type is read"
            " from the file itself."
        ),
    )
    network = SelectField(_l("On behalf of"), coerce=coerce_id, validators=[Optional()])


class CoAuthorForm(FlaskForm):
    network = SelectField(
        _l("Network to invite"),
        coerce=coerce_id,
        validators=[InputRequired(message=_l("Choose a network."))],
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Say why the position is withdrawn.")),
            Length(max=2000, message=_l("At most 2,000 characters.")),
        ],
        description=_l("Shown to the members on the position's page."),
    )


class PositionFilterForm(GetForm):
    q = StringField(
        _l("Title contains"),
        filters=[strip],
        validators=[Length(max=200, message=_l("At most 200 characters."))],
    )
    state = EnumSelectField(_l("State"), PositionState, blank=ALL)
    theme = SelectField(_l("Theme"), validators=[Optional()])
    arena = EnumSelectField(_l("Arena"), Arena, blank=ALL)
    network = SelectField(_l("Network"), coerce=coerce_id, validators=[Optional()])


# --- Consultation and comments -------------------------------------------------------


def closes_at_field(label=None, **kwargs):
    return MomentField(
        label or _l("Closing date and time"),
        validators=[InputRequired(message=_l("Choose a closing date and time."))],
        description=_l("Paris time. Comments and amendments are refused after it."),
        **kwargs,
    )


def short_reason_field():
    return TextAreaField(
        _l("Why it is shorter (staff)"),
        filters=[strip],
        validators=[Length(max=1000, message=_l("At most 1,000 characters."))],
        description=_l(
            "Only for a shorter one than the minimum, opened by staff: the members"
            " read this reason."
        ),
    )


class OpenConsultationForm(FlaskForm):
    closes_at = closes_at_field()
    message = TextAreaField(
        _l("Message to the members"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("At most 2,000 characters."))],
        description=_l("Optional: what you expect from the consultation."),
    )
    short_reason = short_reason_field()


class ExtendConsultationForm(FlaskForm):
    # its own id: staff see it beside the vote's form once the consultation closed
    closes_at = closes_at_field(_l("New closing date and time"), id="extend_closes_at")


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[
            InputRequired(message=_l("Write your comment.")),
            Length(max=10_000, message=_l("A comment has at most 10,000 characters.")),
        ],
        description=_l(
            "Markdown allowed. Your name and your network are shown to members."
        ),
    )
    section = SelectField(_l("Your comment is about"), validators=[Optional()])
    network = SelectField(_l("On behalf of"), coerce=coerce_id, validators=[Optional()])
    parent = HiddenField()


class CommentEditForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[
            InputRequired(message=_l("Write your comment.")),
            Length(max=10_000, message=_l("A comment has at most 10,000 characters.")),
        ],
    )


class ReportForm(FlaskForm):
    reason = EnumSelectField(_l("Reason"), ReportReason)
    note = StringField(
        _l("Details (optional)"),
        filters=[strip],
        validators=[Length(max=500, message=_l("At most 500 characters."))],
    )


# --- Amendments ------------------------------------------------------------------------


class AmendmentWordingForm(FlaskForm):
    """What an amendment says: filed, or reworded by its network until the vote."""

    kind = EnumSelectField(
        _l("Change proposed"), AmendmentKind, default=AmendmentKind.REPLACE
    )
    proposed = TextAreaField(
        _l("Proposed text"),
        filters=[unix_newlines],
        validators=[Length(max=50_000, message=_l("At most 50,000 characters."))],
        description=_l(
            "Markdown. For a replacement, the section as you would have it: its"
            " current text is here to be edited. For an insertion, the new section."
            " For a deletion, nothing."
        ),
    )
    rationale = TextAreaField(
        _l("Rationale"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Explain why you propose this amendment.")),
            Length(max=5000, message=_l("At most 5,000 characters.")),
        ],
    )
    accept_losses = BooleanField(_l("I do mean to remove them"))


class AmendmentForm(AmendmentWordingForm):
    section = SelectField(
        _l("Section"),
        validators=[InputRequired(message=_l("Choose the section to amend."))],
    )
    network = SelectField(_l("On behalf of"), coerce=coerce_id, validators=[Optional()])
    form_token = HiddenField()
    #: What it is filed in a region's name from (``federation.proposals``).
    region = HiddenField()


class AttachContributionForm(FlaskForm):
    contribution = SelectField(
        _l("Contribution"),
        coerce=coerce_id,
        validators=[InputRequired(message=_l("Choose a contribution."))],
    )


class QuoteForm(CommentForm):
    """A comment that opens with a section of an attached contribution."""

    cite = HiddenField()


class SupportForm(FlaskForm):
    network = SelectField(
        _l("Support on behalf of"),
        coerce=coerce_id,
        validators=[InputRequired(message=_l("Choose a network."))],
    )


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=choices(
            [
                ("to_vote", _l("Put it to the vote")),
                ("integrate", _l("Integrate it by consensus, without a vote")),
                ("decline", _l("Decline it")),
            ]
        ),
        validators=[InputRequired(message=_l("Choose one of the decisions."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("At most 2,000 characters."))],
        description=_l("Required to decline; shown with the amendment."),
    )


# --- Vote --------------------------------------------------------------------------------


class OpenVoteForm(FlaskForm):
    closes_at = MomentField(
        _l("Vote closes on"),
        validators=[InputRequired(message=_l("Choose a closing date and time."))],
        description=_l("Paris time. Ballots are refused after it."),
    )
    short_reason = short_reason_field()


class BallotForm(FlaskForm):
    motion = HiddenField(validators=[InputRequired(message=_l("Choose a motion."))])
    network = SelectField(
        _l("For the network"),
        coerce=coerce_id,
        validators=[InputRequired(message=_l("Choose the network you vote for."))],
    )
    choice = EnumSelectField(_l("Ballot"), BallotChoice)
