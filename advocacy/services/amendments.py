"""Amendments: filed against one section during the consultation, supported, decided."""

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.markup import render_excerpt, render_markdown
from advocacy.models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AmendmentSupport,
    AmendmentVersion,
    Network,
    Position,
    PositionState,
    User,
    utcnow,
)
from advocacy.services import ServiceError, mentions
from advocacy.services.audit import record_event
from advocacy.services.lifecycle import lock_position

#: Decisions the lead may take on an amendment, and the status each gives.
DECISIONS = {
    "to_vote": AmendmentStatus.TO_VOTE,
    "decline": AmendmentStatus.DECLINED,
    "integrate": AmendmentStatus.INTEGRATED,
}
OPEN_STATUSES = (
    AmendmentStatus.FILED,
    AmendmentStatus.TO_VOTE,
    AmendmentStatus.DECLINED,
    AmendmentStatus.INTEGRATED,
)


def new_form_token() -> str:
    """A one-time token for the amendment form (a second submit files nothing more)."""
    return secrets.token_urlsafe(32)


def _audit(amendment: Amendment, action: str, by: User, **payload) -> None:
    record_event(
        f"amendment.{action}",
        by=by,
        object_type="amendment",
        object_id=amendment.id,
        position_id=amendment.position_id,
        **payload,
    )


def _require_consultation_open(position: Position) -> None:
    if not position.consultation_is_open():
        raise ServiceError(
            _("Amendments are closed: the consultation is not open."), status=409
        )


def _check_wording(
    kind: AmendmentKind, proposed: str, rationale: str, section_text: str
) -> None:
    """What any wording of an amendment must be, filed or edited."""
    if kind is not AmendmentKind.DELETE and not proposed.strip():
        raise ServiceError(
            _("Write the text you propose."), status=400, field="proposed"
        )
    if kind is AmendmentKind.REPLACE and proposed.strip() == section_text.strip():
        raise ServiceError(
            _("The proposed text is the section as it stands: change it first."),
            status=400,
            field="proposed",
        )
    if kind is AmendmentKind.INSERT_AFTER and proposed.strip() == section_text.strip():
        raise ServiceError(
            _(
                "For an insertion, write the new section only: the text here is"
                " still the current section's."
            ),
            status=400,
            field="proposed",
        )
    if not rationale.strip():
        raise ServiceError(
            _("Explain why you propose this amendment."), status=400, field="rationale"
        )


def file_amendment(
    position: Position,
    *,
    section_id: str,
    kind: AmendmentKind,
    proposed: str,
    rationale: str,
    network: Network,
    by: User,
    form_token: str,
    for_region: dict | None = None,
) -> tuple[Amendment, bool]:
    """File an amendment for one of my networks; returns it and whether it is new.
    ``for_region``: the region it is filed in the name of, and from what
    (``federation.proposals.Proposal.columns``)."""
    existing = db.session.scalar(sa.select(Amendment).filter_by(form_token=form_token))
    if existing is not None:
        return existing, False
    lock_position(position)
    _require_consultation_open(position)
    revision = position.current_revision
    section = next((s for s in revision.sections if s["id"] == section_id), None)
    if section is None:
        raise ServiceError(
            _("This section does not exist in the current text."),
            status=400,
            field="section",
        )
    _check_wording(kind, proposed, rationale, section["text"])
    number = (
        db.session.scalar(
            sa.select(sa.func.max(Amendment.number)).where(
                Amendment.position_id == position.id
            )
        )
        or 0
    ) + 1
    proposed = "" if kind is AmendmentKind.DELETE else proposed.strip("\n")
    rationale_html, found = mentions.linked(str(render_markdown(rationale)))
    amendment = Amendment(
        position_id=position.id,
        number=number,
        revision_id=revision.id,
        section_id=section_id,
        section_text=section["text"],
        kind=kind,
        proposed=proposed,
        # read with the notes and links the rest of the text defines
        proposed_html=str(render_excerpt(proposed, revision.body)) if proposed else "",
        rationale=rationale,
        rationale_html=rationale_html,
        network_id=network.id,
        author_id=by.id,
        form_token=form_token,
        **(for_region or {}),
    )
    amendment.versions.append(_version_of(amendment, 1, by))
    db.session.add(amendment)
    db.session.flush()
    _audit(
        amendment,
        "file",
        by,
        number=number,
        section_id=section_id,
        kind=kind,
        network_id=network.id,
        **({"on_behalf_of": for_region["on_behalf_of"]} if for_region else {}),
        **mentions.newly(found, mentions.Mentions()),
    )
    return amendment, True


def _version_of(amendment: Amendment, number: int, by: User) -> AmendmentVersion:
    return AmendmentVersion(
        number=number,
        kind=amendment.kind,
        proposed=amendment.proposed,
        proposed_html=amendment.proposed_html,
        rationale=amendment.rationale,
        author_id=by.id,
    )


def edit_amendment(
    amendment: Amendment,
    position: Position,
    *,
    kind: AmendmentKind,
    proposed: str,
    rationale: str,
    by: User,
) -> AmendmentVersion | None:
    """Reword my network's amendment until the vote opens; each wording is kept.

    Returns the new version, or None when nothing changed. The networks that
    support it are told (rule ``amendment.edit``).
    """
    lock_position(position)
    db.session.refresh(amendment)
    if position.state is not PositionState.CONSULTATION or amendment.status not in (
        AmendmentStatus.FILED,
        AmendmentStatus.TO_VOTE,
    ):
        raise ServiceError(_("This amendment can no longer be changed."), status=409)
    _check_wording(kind, proposed, rationale, amendment.section_text)
    proposed = "" if kind is AmendmentKind.DELETE else proposed.strip("\n")
    if (kind, proposed, rationale) == (
        amendment.kind,
        amendment.proposed,
        amendment.rationale,
    ):
        return None
    context = position.current_revision.body
    amendment.kind = kind
    amendment.proposed = proposed
    amendment.proposed_html = str(render_excerpt(proposed, context)) if proposed else ""
    before = mentions.linked(str(render_markdown(amendment.rationale)))[1]
    amendment.rationale = rationale
    amendment.rationale_html, found = mentions.linked(str(render_markdown(rationale)))
    number = len(amendment.versions) + 1
    version = _version_of(amendment, number, by)
    amendment.versions.append(version)
    db.session.flush()
    _audit(
        amendment,
        "edit",
        by,
        number=amendment.number,
        version=number,
        **mentions.newly(found, before),
    )
    return version


def support_amendment(
    amendment: Amendment, position: Position, *, network: Network, by: User
) -> AmendmentSupport:
    """One of my networks backs another network's amendment."""
    _require_consultation_open(position)
    if amendment.status not in (AmendmentStatus.FILED, AmendmentStatus.TO_VOTE):
        raise ServiceError(_("This amendment can no longer be supported."), status=409)
    if network.id == amendment.network_id:
        raise ServiceError(_("A network cannot support its own amendment."), status=400)
    if any(s.network_id == network.id for s in amendment.supports):
        raise ServiceError(
            _("%(network)s already supports this amendment.", network=network.name),
            status=409,
        )
    support = AmendmentSupport(
        amendment_id=amendment.id, network_id=network.id, user_id=by.id
    )
    db.session.add(support)
    db.session.flush()
    _audit(amendment, "support", by, network_id=network.id)
    return support


def withdraw_amendment(amendment: Amendment, position: Position, *, by: User) -> None:
    """The author withdraws the amendment, until the vote opens."""
    if position.state is not PositionState.CONSULTATION or amendment.status not in (
        AmendmentStatus.FILED,
        AmendmentStatus.TO_VOTE,
        AmendmentStatus.DECLINED,
    ):
        raise ServiceError(_("This amendment can no longer be withdrawn."), status=409)
    before = amendment.status
    amendment.status = AmendmentStatus.WITHDRAWN
    db.session.flush()
    _audit(amendment, "withdraw", by, status=[before, AmendmentStatus.WITHDRAWN])


def decide_amendment(
    amendment: Amendment, position: Position, *, decision: str, reason: str, by: User
) -> None:
    """The lead puts the amendment to the vote, declines it, or integrates it by consensus."""
    lock_position(position)
    if position.state is not PositionState.CONSULTATION:
        raise ServiceError(
            _("Decisions on amendments are taken before the vote opens."), status=409
        )
    if amendment.status is AmendmentStatus.WITHDRAWN:
        raise ServiceError(_("This amendment was withdrawn."), status=409)
    status = DECISIONS.get(decision)
    if status is None:
        raise ServiceError(_("Choose one of the decisions."), status=400)
    if status is AmendmentStatus.DECLINED and not reason.strip():
        raise ServiceError(_("Say why the amendment is declined."), status=400)
    before = amendment.status
    amendment.status = status
    amendment.decision_reason = reason
    amendment.decided_by_id = by.id
    amendment.decided_at = utcnow()
    db.session.flush()
    _audit(amendment, "decide", by, status=[before, status], reason=reason)
