"""Reads of positions: the lists members and the board work from."""

import functools
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only, selectinload

from advocacy.extensions import db
from advocacy.models import (
    Annex,
    CoAuthor,
    Membership,
    Network,
    Position,
    PositionArena,
    PositionState,
    Revision,
    RevisionContributor,
    Theme,
    User,
)
from advocacy.web import contains


def networks_of(user_id: int) -> sa.Select:
    """The ids of the networks a person represents."""
    return sa.select(Membership.network_id).where(Membership.user_id == user_id)


def written_by_networks_of(user_id: int) -> sa.Select:
    """The ids of the positions that a person's networks lead or co-write.

    A union of two index lookups: as one ``OR``, PostgreSQL expected most
    positions to match and walked them all, latest change first."""
    mine = networks_of(user_id)
    return sa.union(
        sa.select(Position.id).where(Position.lead_network_id.in_(mine)),
        sa.select(CoAuthor.position_id).where(CoAuthor.network_id.in_(mine)),
    )


def of_my_networks(user_id: int) -> sa.Select:
    """The positions a person's networks lead or co-write, latest change first."""
    return (
        sa.select(Position)
        .where(Position.id.in_(written_by_networks_of(user_id)))
        .options(joinedload(Position.lead_network))
        .order_by(Position.updated_at.desc(), Position.id.desc())
    )


def open_consultations(now: datetime) -> sa.Select:
    """Consultations still open, the first to close first."""
    return (
        sa.select(Position)
        .where(
            Position.state == PositionState.CONSULTATION,
            Position.consultation_closes_at > now,
        )
        .options(joinedload(Position.lead_network))
        .order_by(Position.consultation_closes_at, Position.id)
    )


def board_queue() -> sa.Select:
    """Positions awaiting the board's decision, the oldest submission first."""
    return (
        sa.select(Position)
        .where(Position.state == PositionState.BOARD_REVIEW)
        .options(joinedload(Position.lead_network))
        .order_by(Position.submitted_at, Position.id)
    )


def awaiting_publication(limit: int = 200) -> list[Position]:
    """Approved positions, the scheduled ones first, by their moment."""
    return db.session.scalars(
        sa.select(Position)
        .where(Position.state == PositionState.APPROVED)
        .options(joinedload(Position.lead_network))
        .order_by(Position.publish_at.is_(None), Position.publish_at, Position.id)
        .limit(limit)
    ).all()


def titles(ids) -> dict[int, str]:
    """The titles of these positions, by id."""
    ids = set(ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Position.id, Position.title).where(Position.id.in_(ids))
        ).all()
    )


def consulted_revision(position: Position) -> Revision | None:
    """The version of the text that went to consultation, if it did."""
    if position.consultation_opened_at is None:
        return None
    return db.session.scalar(
        sa.select(Revision)
        .where(
            Revision.position_id == position.id,
            Revision.created_at <= position.consultation_opened_at,
        )
        .order_by(Revision.number.desc())
        .limit(1)
    )


@functools.cache
def _for_page_statement() -> sa.Select:
    # built once (every position page runs it); one query for the position, its
    # networks, text and arenas, one more for its themes
    return (
        sa.select(Position)
        .where(Position.id == sa.bindparam("position_id", type_=sa.Integer))
        .options(
            joinedload(Position.lead_network),
            joinedload(Position.current_revision).joinedload(Revision.author),
            joinedload(Position.current_revision).joinedload(Revision.network),
            joinedload(Position.coauthors).joinedload(CoAuthor.network),
            joinedload(Position.arena_rows),
            selectinload(Position.themes),
        )
    )


def for_page(position_id: int) -> Position | None:
    """The position with what its pages show: networks, current text, themes, arenas."""
    return (
        db.session.execute(_for_page_statement(), {"position_id": position_id})
        .unique()
        .scalar_one_or_none()
    )


def filtered(form) -> sa.Select:
    """The positions a (validated) filter form keeps, the latest change first."""
    stmt = (
        sa.select(Position)
        .options(
            joinedload(Position.lead_network),
            selectinload(Position.themes),
            selectinload(Position.arena_rows),
        )
        .order_by(Position.updated_at.desc(), Position.id.desc())
    )
    if form.q.data:
        stmt = stmt.where(contains(Position.title, form.q.data))
    if form.state.data is not None:
        stmt = stmt.where(Position.state == form.state.data)
    if form.theme.data:
        stmt = stmt.where(Position.themes.any(Theme.slug == form.theme.data))
    if form.arena.data is not None:
        stmt = stmt.where(
            Position.arena_rows.any(PositionArena.arena == form.arena.data)
        )
    if form.network.data:
        stmt = stmt.where(
            sa.or_(
                Position.lead_network_id == form.network.data,
                Position.coauthors.any(CoAuthor.network_id == form.network.data),
            )
        )
    return stmt


def revision(position: Position, number: int) -> Revision | None:
    """Version ``number`` of the position's text, with its author and network."""
    return db.session.scalar(
        sa.select(Revision)
        .where(Revision.position_id == position.id, Revision.number == number)
        .options(joinedload(Revision.author), joinedload(Revision.network))
    )


def history(position: Position) -> sa.Select:
    """Every version of the position's text, the latest first: what the history
    lists of each (not its text)."""
    return (
        sa.select(Revision)
        .where(Revision.position_id == position.id)
        .options(
            load_only(
                Revision.number,
                Revision.message,
                Revision.source,
                Revision.restored_number,
                Revision.created_at,
            ),
            joinedload(Revision.author).load_only(User.display_name),
            joinedload(Revision.network).load_only(Network.name),
            selectinload(Revision.contributors).options(
                joinedload(RevisionContributor.user).load_only(User.display_name),
                joinedload(RevisionContributor.network).load_only(Network.name),
            ),
        )
        .order_by(Revision.number.desc())
    )


def annexes_of(position: Position) -> list[Annex]:
    """The files attached to a position, oldest first, with who added them."""
    return list(
        db.session.scalars(
            sa.select(Annex)
            .where(Annex.position_id == position.id)
            .options(joinedload(Annex.added_by), joinedload(Annex.network))
            .order_by(Annex.id)
        )
    )


def annex(position: Position, annex_id: int) -> Annex | None:
    """One of the position's annexes (None for another position's)."""
    return db.session.scalar(
        sa.select(Annex).where(Annex.id == annex_id, Annex.position_id == position.id)
    )
