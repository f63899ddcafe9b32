"""Reads of federation: the linked installations and the messages exchanged."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from advocacy.extensions import db
from advocacy.models import Amendment
from advocacy.models.federation import (
    Contribution,
    ContributionVersion,
    FederationMessage,
    LinkPurpose,
    LinkState,
    MessageDirection,
    MessageStatus,
    Orientation,
    Peer,
    PositionContribution,
    RegionalAmendment,
    RegionalSubmission,
)


def peers() -> list[Peer]:
    """Every installation we are or were linked to, by name."""
    return db.session.scalars(sa.select(Peer).order_by(Peer.name, Peer.id)).all()


def active_peers(purpose: LinkPurpose) -> list[Peer]:
    """The installations linked to us for ``purpose``, over an active link."""
    return db.session.scalars(
        sa.select(Peer).where(Peer.purpose == purpose, Peer.state == LinkState.ACTIVE)
    ).all()


def peer_by_actor(actor_url: str) -> Peer | None:
    return db.session.scalar(sa.select(Peer).filter_by(actor_url=actor_url))


def peer_by_key(key_id: str) -> Peer | None:
    return db.session.scalar(sa.select(Peer).filter_by(key_id=key_id))


def recent_messages(limit: int) -> list[FederationMessage]:
    """The latest messages in and out, the newest first."""
    return db.session.scalars(
        sa.select(FederationMessage).order_by(FederationMessage.id.desc()).limit(limit)
    ).all()


def sent_activity(activity_id: str) -> FederationMessage | None:
    """An activity this installation sent, by its id."""
    return db.session.scalar(
        sa.select(FederationMessage).where(
            FederationMessage.direction == MessageDirection.OUT,
            FederationMessage.activity_id == activity_id,
        )
    )


def was_received(activity_id: str) -> bool:
    """Whether an activity with this id was received and acted on already."""
    return (
        db.session.scalar(
            sa.select(FederationMessage.id).where(
                FederationMessage.direction == MessageDirection.IN,
                FederationMessage.status == MessageStatus.RECEIVED,
                FederationMessage.activity_id == activity_id,
            )
        )
        is not None
    )


def contributions():
    """The contributions received, the latest first (a statement to paginate),
    each with the installation that sent it."""
    return (
        sa.select(Contribution, Peer.name)
        .join(Peer, Peer.id == Contribution.peer_id)
        .order_by(Contribution.updated_at.desc(), Contribution.id.desc())
    )


def contribution(contribution_id: int) -> tuple[Contribution, Peer] | None:
    row = db.session.execute(
        sa.select(Contribution, Peer)
        .join(Peer, Peer.id == Contribution.peer_id)
        .where(Contribution.id == contribution_id)
    ).first()
    return tuple(row) if row else None


def contribution_versions(contribution_id: int) -> list[ContributionVersion]:
    """Every version received of a contribution, the first first."""
    return db.session.scalars(
        sa.select(ContributionVersion)
        .where(ContributionVersion.contribution_id == contribution_id)
        .order_by(ContributionVersion.number)
    ).all()


def attached(position_id: int) -> list[tuple[Contribution, str, ContributionVersion]]:
    """The contributions attached to a position, each with the installation's
    name and its latest version, in the order they were attached."""
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(Contribution, Peer.name, ContributionVersion)
            .join(
                PositionContribution,
                PositionContribution.contribution_id == Contribution.id,
            )
            .join(Peer, Peer.id == Contribution.peer_id)
            .join(
                ContributionVersion,
                sa.and_(
                    ContributionVersion.contribution_id == Contribution.id,
                    ContributionVersion.number == Contribution.number,
                ),
            )
            .where(PositionContribution.position_id == position_id)
            .order_by(PositionContribution.id)
        )
    ]


def attachable(position_id: int, limit: int) -> list[tuple[Contribution, str]]:
    """The latest contributions received not yet attached to the position."""
    taken = sa.select(PositionContribution.contribution_id).where(
        PositionContribution.position_id == position_id
    )
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(Contribution, Peer.name)
            .join(Peer, Peer.id == Contribution.peer_id)
            .where(Contribution.id.not_in(taken))
            .order_by(Contribution.updated_at.desc(), Contribution.id.desc())
            .limit(limit)
        )
    ]


def orientations():
    """The national positions received for the region, the latest first (a
    statement to paginate), each with the installation that sent it."""
    return (
        sa.select(Orientation, Peer.name)
        .join(Peer, Peer.id == Orientation.peer_id)
        .order_by(Orientation.updated_at.desc(), Orientation.id.desc())
    )


def orientation(orientation_id: int) -> Orientation | None:
    """One orientation, with the installation that sent it."""
    return db.session.scalar(
        sa.select(Orientation)
        .where(Orientation.id == orientation_id)
        .options(joinedload(Orientation.peer))
    )


def regional_amendments(
    position_id: int,
) -> list[tuple[RegionalAmendment, RegionalSubmission, str]]:
    """What the regions adopted on a position, each amendment with its region's
    sending and name, by region then by number."""
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(RegionalAmendment, RegionalSubmission, Peer.name)
            .join(
                RegionalSubmission,
                RegionalSubmission.id == RegionalAmendment.submission_id,
            )
            .join(Peer, Peer.id == RegionalSubmission.peer_id)
            .where(RegionalSubmission.position_id == position_id)
            .order_by(Peer.name, RegionalAmendment.number)
        )
    ]


def taken_up(position_id: int) -> dict[int, int]:
    """The regions' amendments filed on a position in their name: the number of
    the amendment each became."""
    return dict(
        db.session.execute(
            sa.select(Amendment.regional_amendment_id, Amendment.number).where(
                Amendment.position_id == position_id,
                Amendment.regional_amendment_id.is_not(None),
            )
        ).all()
    )
