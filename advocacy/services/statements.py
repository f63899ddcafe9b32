"""Publishing validated positions as statements, new versions, and co-signatures."""

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from advocacy import search
from advocacy.extensions import db
from advocacy.models import (
    Amendment,
    AmendmentStatus,
    Ballot,
    BoardDecision,
    Comment,
    FollowUp,
    Motion,
    Network,
    Position,
    PositionState,
    Signature,
    Statement,
    StatementVersion,
    User,
    utcnow,
)
from advocacy.models.statements import (
    statement_arenas,
    statement_networks,
    statement_themes,
)
from advocacy.queries.board import recusals
from advocacy.queries.positions import annexes_of
from advocacy.queries.votes import current_motions
from advocacy.sections import Section
from advocacy.services import ServiceError
from advocacy.services.audit import record_event
from advocacy.services.lifecycle import begin, lock_position, require_state, transition
from advocacy.services.networks import unique_slug
from advocacy.services.positions import audit_position

logger = logging.getLogger(__name__)


def _participants(position: Position) -> dict:
    """Networks that commented, amended or voted, by ESS family and by département."""
    ids = sa.union(
        sa.select(Comment.network_id).where(
            Comment.position_id == position.id, Comment.network_id.is_not(None)
        ),
        sa.select(Amendment.network_id).where(Amendment.position_id == position.id),
        sa.select(Ballot.network_id)
        .join(Motion, Motion.id == Ballot.motion_id)
        .where(Motion.position_id == position.id),
    ).subquery()
    out = {"families": {}, "departments": {}, "total": 0}
    rows = db.session.execute(
        sa.select(Network.family, Network.department, sa.func.count())
        .where(Network.id.in_(sa.select(ids.c[0])))
        .group_by(Network.family, Network.department)
    )
    for family, department, number in rows:
        out["families"][family.value] = out["families"].get(family.value, 0) + number
        out["departments"][department.value] = (
            out["departments"].get(department.value, 0) + number
        )
        out["total"] += number
    return out


def _building(position: Position) -> dict:
    amendments = dict(
        db.session.execute(
            sa.select(Amendment.status, sa.func.count())
            .where(Amendment.position_id == position.id)
            .group_by(Amendment.status)
        ).all()
    )
    motions = db.session.scalars(
        current_motions(position).order_by(Motion.amendment_id.is_(None), Motion.id)
    ).all()
    return {
        "participants": _participants(position),
        "comments": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Comment)
            .where(
                Comment.position_id == position.id,
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
            )
        ),
        "amendments": {
            "filed": sum(amendments.values()),
            "adopted": amendments.get(AmendmentStatus.ADOPTED, 0)
            + amendments.get(AmendmentStatus.INTEGRATED, 0),
            "rejected": amendments.get(AmendmentStatus.REJECTED, 0)
            + amendments.get(AmendmentStatus.DECLINED, 0),
        },
        "motions": [
            {
                "amendment": m.amendment.number if m.amendment else None,
                "for": m.votes_for or 0,
                "against": m.votes_against or 0,
                "abstain": m.votes_abstain or 0,
                "eligible": m.eligible_count,
                "passed": bool(m.passed),
            }
            for m in motions
        ],
    }


def _index(statement: Statement, networks: list[Network], position: Position) -> None:
    """Point the public filters at the current version's networks, themes and arenas."""
    for table in (statement_themes, statement_arenas, statement_networks):
        db.session.execute(sa.delete(table).where(table.c.statement_id == statement.id))
    rows = {
        statement_themes: [
            {"statement_id": statement.id, "theme_id": t.id} for t in position.themes
        ],
        statement_arenas: [
            {"statement_id": statement.id, "arena": a.value} for a in position.arenas
        ],
        statement_networks: [
            {"statement_id": statement.id, "network_id": n.id} for n in networks
        ],
    }
    for table, values in rows.items():
        if values:
            db.session.execute(sa.insert(table), values)


def publish_statement(
    position: Position, *, by: User | None, at: datetime | None = None
) -> StatementVersion:
    """Publish an approved position: a new immutable version at its stable address.

    ``at`` dates the version (a scheduled publication keeps its announced moment);
    ``by`` is None when nobody is left to credit (the scheduler's account is gone).
    """
    begin(position, "publish")
    revision = position.current_revision
    statement = db.session.scalar(
        sa.select(Statement).filter_by(position_id=position.id)
    )
    if statement is None:
        statement = Statement(
            position_id=position.id,
            title=revision.title,
            slug=unique_slug(Statement, revision.title, max_length=120),
            lead_network_id=position.lead_network_id,
        )
        db.session.add(statement)
        db.session.flush()
    number = (
        db.session.scalar(
            sa.select(sa.func.max(StatementVersion.number)).where(
                StatementVersion.statement_id == statement.id
            )
        )
        or 0
    ) + 1
    networks = [position.lead_network] + [c.network for c in position.coauthors]
    names = {
        n.id: n.name
        for n in db.session.scalars(
            sa.select(Network).where(
                Network.id.in_(
                    {s["network"] for s in revision.sections if s.get("network")}
                )
            )
        )
    }
    decisions = db.session.scalars(
        sa.select(BoardDecision)
        .filter_by(position_id=position.id, round=position.board_round)
        .order_by(BoardDecision.id)
    ).all()
    now = at or utcnow()
    annexes = [
        {"filename": a.filename, "mime": a.mime, "size": a.size, "sha256": a.sha256}
        for a in annexes_of(position)
    ]
    version = StatementVersion(
        annexes=annexes,
        statement_id=statement.id,
        number=number,
        revision_id=revision.id,
        title=revision.title,
        summary=revision.summary,
        body_html=revision.body_html,
        sections=[
            {
                "id": s["id"],
                "title": Section(id=s["id"], text=s["text"]).title,
                "amendment": s.get("amendment"),
                "network": names.get(s.get("network")),
            }
            for s in revision.sections
        ],
        networks=[
            {
                "id": n.id,
                "name": n.name,
                "slug": n.slug,
                "role": "lead" if i == 0 else "coauthor",
            }
            for i, n in enumerate(networks)
        ],
        themes=[
            {"slug": t.slug, "name_fr": t.name_fr, "name_en": t.name_en}
            for t in position.themes
        ],
        arenas=[a.value for a in position.arenas],
        # the choices and motivations, without names; recusals counted, unmotivated
        decisions=[
            {"choice": d.choice.value, "motivation": d.motivation} for d in decisions
        ]
        + [{"choice": "recuse", "motivation": ""} for _r in recusals(position)],
        building=_building(position),
        published_at=now,
        published_by_id=by.id if by else None,
    )
    db.session.add(version)
    db.session.flush()
    statement.current_version = version
    statement.title, statement.summary = version.title, version.summary
    statement.published_at = now
    _index(statement, networks, position)
    search.index_statement(
        statement.id, version.title, version.summary, version.body_html
    )
    position.publish_at = position.publish_scheduled_by_id = None
    transition(position, "publish", by=by, statement=statement.slug, version=number)
    logger.info(
        "Statement %s v%s published by %s", statement.slug, number, by.id if by else "-"
    )
    return version


#: How far ahead a publication may be scheduled.
MAX_SCHEDULE_AHEAD = timedelta(days=366)


def schedule_publication(position: Position, *, at: datetime, by: User) -> None:
    """Publish an approved position later, at ``at`` (released by ``release_due_publications``)."""
    lock_position(position)
    require_state(position, PositionState.APPROVED)
    now = utcnow()
    if at <= now:
        raise ServiceError(
            _("Choose a moment in the future, or publish now."), status=400
        )
    if at > now + MAX_SCHEDULE_AHEAD:
        raise ServiceError(
            _("A publication is scheduled at most a year ahead."), status=400
        )
    previous = position.publish_at
    position.publish_at, position.publish_scheduled_by_id = at, by.id
    position.updated_at = now
    db.session.flush()
    audit_position(
        position,
        "schedule_publication",
        by,
        publish_at=[previous.isoformat() if previous else None, at.isoformat()],
    )


def cancel_scheduled_publication(position: Position, *, by: User) -> None:
    """Take a scheduled publication back: the position waits, approved."""
    lock_position(position)
    require_state(position, PositionState.APPROVED)
    if position.publish_at is None:
        raise ServiceError(_("This publication is not scheduled."), status=409)
    previous = position.publish_at
    position.publish_at = position.publish_scheduled_by_id = None
    position.updated_at = utcnow()
    db.session.flush()
    audit_position(
        position, "cancel_publication", by, publish_at=[previous.isoformat(), None]
    )


def release_due_publications(now: datetime | None = None) -> list[StatementVersion]:
    """Publish every approved position whose scheduled moment has come.

    Each is published in a savepoint of its own; one already released by another
    process at the same time is skipped. Statements scheduled together share
    their moment of publication.
    """
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Position.id)
        .where(
            Position.state == PositionState.APPROVED,
            Position.publish_at.is_not(None),
            Position.publish_at <= now,
        )
        .order_by(Position.publish_at, Position.id)
    ).all()
    released = []
    for position_id in due:
        position = db.session.get(Position, position_id)
        try:
            with db.session.begin_nested():
                by = (
                    db.session.get(User, position.publish_scheduled_by_id)
                    if position.publish_scheduled_by_id
                    else None
                )
                released.append(
                    publish_statement(position, by=by, at=position.publish_at)
                )
        except ServiceError:
            logger.info("Position %s was released elsewhere meanwhile", position_id)
    return released


def revise_statement(position: Position, *, by: User) -> None:
    """Start a new version: the position goes back to drafting; the current one stays public."""
    begin(position, "revise")
    position.board_reason = ""
    transition(position, "revise", by=by)


def sign_statement(statement: Statement, *, network: Network, by: User) -> Signature:
    """Co-sign a published statement for one of my networks."""
    if not any(m.network_id == network.id for m in by.memberships):
        raise ServiceError(
            _("You do not represent %(network)s.", network=network.name), status=403
        )
    existing = db.session.scalar(
        sa.select(Signature).filter_by(statement_id=statement.id, network_id=network.id)
    )
    if existing is not None:
        raise ServiceError(
            _("%(network)s already co-signs this statement.", network=network.name),
            status=409,
        )
    signature = Signature(
        statement_id=statement.id, network_id=network.id, signed_by_id=by.id
    )
    db.session.add(signature)
    db.session.flush()
    record_event(
        "statement.sign",
        by=by,
        object_type="statement",
        object_id=statement.id,
        network_id=network.id,
    )
    return signature


def unsign_statement(statement: Statement, *, network: Network, by: User) -> None:
    """Withdraw my network's co-signature."""
    if not any(m.network_id == network.id for m in by.memberships):
        raise ServiceError(
            _("You do not represent %(network)s.", network=network.name), status=403
        )
    signature = db.session.scalar(
        sa.select(Signature).filter_by(statement_id=statement.id, network_id=network.id)
    )
    if signature is None:
        raise ServiceError(
            _("%(network)s does not co-sign this statement.", network=network.name),
            status=404,
        )
    db.session.delete(signature)
    db.session.flush()
    record_event(
        "statement.unsign",
        by=by,
        object_type="statement",
        object_id=statement.id,
        network_id=network.id,
    )


def record_follow_up(
    statement: Statement, *, happened_on, kind, text: str, link: str, by: User
) -> "FollowUp":
    """Staff note what became of a statement."""
    from advocacy.models import FollowUp

    follow_up = FollowUp(
        statement_id=statement.id,
        happened_on=happened_on,
        kind=kind,
        text=text,
        link=link,
        created_by_id=by.id,
    )
    db.session.add(follow_up)
    db.session.flush()
    record_event(
        "statement.follow_up",
        by=by,
        object_type="statement",
        object_id=statement.id,
        kind=kind,
        happened_on=happened_on.isoformat(),
    )
    return follow_up
