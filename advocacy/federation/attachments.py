"""Contributions at work in a national consultation.

National staff, or a position's lead, attach the regions' contributions to a
position while its consultation is open. Members may then quote a section of
an attached contribution in a comment, and the lead may file it as an
amendment in the region's name (``services.amendments.file_amendment`` keeps
which contribution and section it came from).
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.models import Position, User
from advocacy.models.federation import (
    Contribution,
    ContributionVersion,
    PositionContribution,
)
from advocacy.services import ServiceError
from advocacy.services.audit import record_event
from advocacy.services.lifecycle import lock_position

#: The longest part of a section a comment quotes (characters).
QUOTE_LENGTH = 1_000


@dataclass(frozen=True)
class Cited:
    """A section of an attached contribution, in its latest version."""

    contribution: Contribution
    version: ContributionVersion
    section: dict

    @property
    def region(self) -> str:
        return self.contribution.peer.name

    @property
    def key(self) -> str:
        """How forms name it: ``<contribution id>:<section id>``."""
        return f"{self.contribution.id}:{self.section['id']}"


def _require_open(position: Position) -> None:
    if not position.consultation_is_open():
        raise ServiceError(
            _("Contributions are attached while the consultation is open."), 409
        )


def attached(position: Position, contribution_id: int) -> PositionContribution | None:
    return db.session.scalar(
        sa.select(PositionContribution).filter_by(
            position_id=position.id, contribution_id=contribution_id
        )
    )


def attach(position: Position, contribution: Contribution, *, by: User) -> bool:
    """Attach a contribution; False when it already was."""
    lock_position(position)
    _require_open(position)
    if attached(position, contribution.id) is not None:
        return False
    db.session.add(
        PositionContribution(
            position_id=position.id,
            contribution_id=contribution.id,
            attached_by_id=by.id,
        )
    )
    db.session.flush()
    record_event(
        "position.contribution_attach",
        by=by,
        object_type="position",
        object_id=position.id,
        contribution_id=contribution.id,
        installation=contribution.peer.name,
    )
    return True


def detach(position: Position, contribution: Contribution, *, by: User) -> None:
    """Take an attached contribution off the position (what cited it stays)."""
    lock_position(position)
    _require_open(position)
    link = attached(position, contribution.id)
    if link is None:
        raise ServiceError(_("This contribution is not attached to the position."), 404)
    db.session.delete(link)
    record_event(
        "position.contribution_detach",
        by=by,
        object_type="position",
        object_id=position.id,
        contribution_id=contribution.id,
        installation=contribution.peer.name,
    )


def cited(position: Position, key: str) -> Cited:
    """The section a form names as ``<contribution id>:<section id>``, from a
    contribution attached to ``position``; a 400 with a sentence otherwise."""
    head, _sep, section_id = (key or "").partition(":")
    if not head.isdigit() or not section_id or len(key) > 130:
        raise ServiceError(_("The quoted section is not named as expected."), 400)
    contribution = db.session.get(Contribution, int(head))
    if contribution is None or attached(position, contribution.id) is None:
        raise ServiceError(_("This contribution is not attached to the position."), 400)
    version = db.session.scalar(
        sa.select(ContributionVersion).filter_by(
            contribution_id=contribution.id, number=contribution.number
        )
    )
    section = next((s for s in version.sections if s["id"] == section_id), None)
    if section is None:
        raise ServiceError(
            _("This section is not in the contribution's latest version."), 400
        )
    return Cited(contribution, version, section)


def quotation(cite: Cited) -> str:
    """The Markdown a comment opens with: the section quoted, and whose it is."""
    text = (cite.section.get("text") or cite.section.get("title") or "").strip()
    if len(text) > QUOTE_LENGTH:
        text = text[: QUOTE_LENGTH - 1].rstrip() + "…"
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
    source = _(
        "%(region)s, contribution (version %(number)d)",
        region=cite.region,
        number=cite.version.number,
    )
    return f"{quoted}\n>\n> — *{source}*\n\n"
