"""What the national lead may file as an amendment in a region's name: a
section of a contribution attached to the position, or an amendment a region
adopted on it. Forms name one by a key: ``<contribution id>:<section id>`` or
``r<regional amendment id>``."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.federation import attachments
from advocacy.models import AmendmentKind, Position
from advocacy.models.federation import RegionalAmendment, RegionalSubmission
from advocacy.services import ServiceError


@dataclass(frozen=True)
class Proposal:
    key: str
    #: The region's name, kept on the amendment.
    region: str
    #: Where it comes from, in a sentence.
    origin: str
    #: The wording to start from ("" when the region sent none).
    proposed: str
    rationale: str
    #: The national section it changes, when the region said so.
    section_id: str | None = None
    kind: AmendmentKind | None = None
    #: What the amendment records of its origin.
    columns: dict = field(default_factory=dict)


def _from_contribution(position: Position, key: str) -> Proposal:
    cite = attachments.cited(position, key)
    return Proposal(
        key=cite.key,
        region=cite.region,
        origin=_(
            "from its contribution “%(title)s”, section “%(section)s”.",
            title=cite.version.title,
            section=cite.section.get("title") or "—",
        ),
        proposed=cite.section.get("text") or "",
        rationale=_(
            "Proposed by %(region)s in its contribution “%(title)s” (version"
            " %(number)d).",
            region=cite.region,
            title=cite.version.title,
            number=cite.version.number,
        ),
        columns={
            "on_behalf_of": cite.region,
            "contribution_id": cite.contribution.id,
            "contribution_section_id": cite.section["id"],
        },
    )


def _from_regional_amendment(position: Position, key: str) -> Proposal:
    digits = key[1:]
    found = None
    if digits.isdigit() and len(digits) <= 12:
        found = db.session.get(RegionalAmendment, int(digits))
    submission = (
        db.session.get(RegionalSubmission, found.submission_id) if found else None
    )
    if submission is None or submission.position_id != position.id:
        raise ServiceError(
            _("This regional amendment was not sent on this position."), 400
        )
    region = submission.peer.name
    vote = found.vote
    support = (
        _(
            "adopted — for: %(yes)d, against: %(no)d, abstaining: %(abstain)d",
            yes=vote["for"],
            no=vote["against"],
            abstain=vote["abstain"],
        )
        if vote
        else _("integrated by consensus")
    )
    return Proposal(
        key=f"r{found.id}",
        region=region,
        origin=_(
            "its amendment %(number)d (%(network)s), %(support)s.",
            number=found.number,
            network=found.network,
            support=support,
        ),
        proposed=found.proposed,
        rationale=_(
            "Adopted by %(region)s (its amendment %(number)d, %(support)s): %(why)s",
            region=region,
            number=found.number,
            support=support,
            why=found.rationale,
        ),
        section_id=found.section_id,
        kind=AmendmentKind(found.kind),
        columns={"on_behalf_of": region, "regional_amendment_id": found.id},
    )


def proposal(position: Position, key: str) -> Proposal:
    """The proposal ``key`` names on ``position``; a 400 with a sentence otherwise."""
    if key.startswith("r"):
        return _from_regional_amendment(position, key)
    return _from_contribution(position, key)
