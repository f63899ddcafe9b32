"""Every named read, once: how many SQL statements it makes, with a little data
and with three times as much. None may grow with the data.

A page calls a few of these; what a page adds of its own (templates, lazy loads)
is counted by ``tests/web/test_query_counts.py``.
"""

import inspect
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

import advocacy.queries
from advocacy import search
from advocacy.extensions import db as _db
from advocacy.models import (
    Amendment,
    AmendmentKind,
    Arena,
    BoardChoice,
    FollowUpKind,
    MembershipRole,
    Network,
    ReportReason,
    Signature,
    Statement,
    utcnow,
)
from advocacy.models.base import Base
from advocacy.models.federation import LinkPurpose
from advocacy.models.notifications import Notification
from advocacy.queries import (
    amendments,
    audit,
    board,
    calendars,
    discussion,
    federation,
    indicators,
    networks,
    notifications,
    people,
    positions,
    statements,
    votes,
)
from advocacy.services import accounts, consultation
from advocacy.services import amendments as amendment_service
from advocacy.services import board as board_service
from advocacy.services import statements as statement_service

MODULES = [
    amendments,
    audit,
    board,
    calendars,
    discussion,
    federation,
    indicators,
    networks,
    notifications,
    people,
    positions,
    statements,
    votes,
]

#: Pieces of other queries (clauses, subqueries), not reads of their own.
BUILDING_BLOCKS = {
    "networks.pending_invitation",
    "positions.networks_of",
    "positions.written_by_networks_of",
    "votes.is_current_motion",
    "votes.current_motions",
    "votes.round_motions",
    "statements.slugs",
    "statements.listed",
}


def form(**values):
    """What a validated filter form gives a query: each field's ``data``."""

    class Form(SimpleNamespace):
        def __getattr__(self, name):
            return SimpleNamespace(data=None)

    return Form(**{k: SimpleNamespace(data=v) for k, v in values.items()})


class World:
    """Networks, people and positions at every step, grown ``n`` at a time."""

    def __init__(self, create_network, create_user, walk_position, publish, staff):
        self.create_network, self.create_user = create_network, create_user
        self.publish, self.staff = publish, staff
        self.lead = create_network(name="Mouvement associatif", slug="mouvement")
        self.writer = create_user(networks=[self.lead], display_name="Awa Diallo")
        self.board = [create_user(is_board=True) for _ in range(3)]
        walk = walk_position
        self.consulted = walk(lead=self.lead, by=self.writer, until="consultation")
        self.voted = walk(lead=self.lead, by=self.writer, until="consolidation")
        self.reviewed = walk(lead=self.lead, by=self.writer, until="board_review")
        for member in self.board[:2]:
            board_service.record_board_decision(
                self.reviewed, choice=BoardChoice.APPROVE, motivation="Oui.", by=member
            )
        self.statement = _db.session.get(
            Statement, publish(lead=self.lead).statement_id
        )
        _db.session.commit()
        self.section = self.consulted.current_revision.sections[1]["id"]
        self.grown = 0

    def attach(self):
        """Bring the world's rows back into the session, freshly loaded."""

        def fresh(row):
            return _db.session.get(type(row), sa.inspect(row).identity)

        for key, value in list(vars(self).items()):
            if isinstance(value, Base):
                setattr(self, key, fresh(value))
            elif isinstance(value, list) and value and isinstance(value[0], Base):
                setattr(self, key, [fresh(v) for v in value])

    def grow(self, n: int):
        """n more partner networks, each commenting, amending, publishing, signing."""
        self.attach()
        for _ in range(n):
            self.grown += 1
            i = self.grown
            partner = self.create_network(name=f"Réseau partenaire {i}")
            rep = self.create_user(networks=[partner], display_name=f"Délégué {i}")
            position = self.consulted
            comment = consultation.post_comment(
                position,
                body=f"Avis {i}",
                by=rep,
                network=partner,
                section_id=self.section,
            )
            consultation.post_comment(
                position,
                body="Réponse",
                by=self.writer,
                network=self.lead,
                parent=comment,
            )
            consultation.report_comment(
                comment, reason=ReportReason.OFF_TOPIC, note="", by=self.writer
            )
            amendment, _new = amendment_service.file_amendment(
                position,
                section_id=self.section,
                kind=AmendmentKind.REPLACE,
                proposed=f"Texte {i}.",
                rationale="Plus juste.",
                network=partner,
                by=rep,
                form_token=f"token-{i}",
            )
            amendment_service.support_amendment(
                amendment, position, network=self.lead, by=self.writer
            )
            consultation.post_comment(
                position,
                body="Sur l'amendement",
                by=self.writer,
                network=self.lead,
                amendment=amendment,
            )
            self.publish(f"Déclaration {i}", lead=partner, arenas=[Arena.REGIONAL])
            _db.session.add(
                Signature(statement_id=self.statement.id, network_id=partner.id)
            )
            statement_service.record_follow_up(
                self.statement,
                happened_on=date(2026, 1, 1),
                kind=FollowUpKind.SENT,
                text="Adressée.",
                link="",
                by=self.staff,
            )
            accounts.invite_person(
                email=f"invite{i}@example.org",
                network=self.lead,
                role=MembershipRole.REPRESENTATIVE,
                by=self.staff,
            )
        _db.session.commit()


def rows(stmt):
    """Run a query that a view would paginate, as the page would read it."""
    return _db.session.execute(stmt).all()


def _top_ids(w) -> list[int]:
    return _db.session.scalars(discussion.top_comments(w.consulted.id)).all()


#: name -> (statements it makes, how to call it on a world ``w``)
READS = {
    "amendments.numbered": (1 + 4, lambda w: amendments.numbered(w.consulted, 1)),
    "amendments.of_position": (
        1 + 2,
        lambda w: rows(amendments.of_position(w.consulted)),
    ),
    "amendments.comments_on": (1 + 2, lambda w: amendments.comments_on(w.amendment)),
    "audit.filtered": (1 + 1, lambda w: rows(audit.filtered(action="position."))),
    "audit.concerning": (1 + 1, lambda w: audit.concerning(w.writer)),
    "board.my_decisions": (
        1,
        lambda w: board.my_decisions(w.board[0], [w.reviewed.id]),
    ),
    "board.decisions": (1 + 1, lambda w: board.decisions(w.reviewed)),
    "board.tally": (1, lambda w: board.tally(w.reviewed)),
    "board.recusals": (1, lambda w: board.recusals(w.reviewed)),
    "calendars.member_deadlines": (
        2,
        lambda w: calendars.member_deadlines(w.writer, utcnow() - timedelta(days=30)),
    ),
    "calendars.scheduled_publications": (
        1,
        lambda w: calendars.scheduled_publications(),
    ),
    "board.conflicts": (3, lambda w: board.conflicts(w.writer, w.reviewed)),
    "board.amendments": (1 + 1, lambda w: board.amendments(w.consulted)),
    "discussion.top_comments": (
        1,
        lambda w: rows(discussion.top_comments(w.consulted.id)),
    ),
    # (the first statement finds the thread ids)
    "discussion.thread_stamps": (
        1 + 1,
        lambda w: discussion.thread_stamps(_top_ids(w), w.writer.id),
    ),
    "discussion.threads": (1 + 1 + 5, lambda w: discussion.threads(_top_ids(w))),
    "discussion.comment_counts": (
        1,
        lambda w: discussion.comment_counts(w.consulted.id),
    ),
    "discussion.amendment_counts": (
        1,
        lambda w: discussion.amendment_counts(w.consulted.id),
    ),
    "discussion.moderation_queue": (
        1 + 2,
        lambda w: rows(discussion.moderation_queue()),
    ),
    "discussion.comments_by_ids": (1, lambda w: discussion.comments_by_ids([1, 2, 3])),
    "discussion.open_reports": (1, lambda w: discussion.open_reports([1, 2, 3, 4, 5])),
    "indicators.indicators": (5, lambda w: indicators.indicators()),
    "indicators.published_count": (1, lambda w: indicators.published_count()),
    "indicators.generation": (1, lambda w: indicators.generation()),
    "networks.active_names": (1, lambda w: networks.active_names()),
    "networks.active": (1, lambda w: networks.active()),
    "networks.names_of": (1, lambda w: networks.names_of([1, 2, 3])),
    "networks.offered_themes": (1, lambda w: networks.offered_themes()),
    "networks.themes_by_ids": (1, lambda w: networks.themes_by_ids([1, 2])),
    "networks.family_counts": (1, lambda w: networks.family_counts()),
    "networks.active_themes": (1, lambda w: networks.active_themes()),
    "networks.filtered": (1, lambda w: rows(networks.filtered(form(q="Réseau")))),
    "networks.all_themes": (1, lambda w: networks.all_themes()),
    "networks.by_slug": (1, lambda w: networks.by_slug("mouvement")),
    "networks.dashboard_counts": (3, lambda w: networks.dashboard_counts()),
    "networks.all_names": (1, lambda w: networks.all_names()),
    "notifications.told": (1, lambda w: rows(notifications.told(w.writer, 26))),
    "notifications.latest": (1, lambda w: notifications.latest(w.writer)),
    "notifications.unread_count": (1, lambda w: notifications.unread_count(w.writer)),
    "notifications.unread_broadcast_count": (
        1,
        lambda w: notifications.unread_broadcast_count(w.writer),
    ),
    "notifications.unread_among": (
        1,
        lambda w: notifications.unread_among(w.writer, w.broadcasts),
    ),
    "notifications.latest_broadcast_id": (
        1,
        lambda w: notifications.latest_broadcast_id(),
    ),
    "people.memberships_of": (1, lambda w: people.memberships_of(w.writer.id)),
    "people.activity_near": (
        1,
        lambda w: rows(people.activity_near(w.writer.id, ["position.create"])),
    ),
    "people.filtered": (1 + 2, lambda w: rows(people.filtered(form(status="all")))),
    "people.invitations_to": (
        1 + 1,
        lambda w: people.invitations_to("invite1@example.org"),
    ),
    "people.invitations": (
        1 + 2,
        lambda w: rows(people.invitations(pending_only=True)),
    ),
    "people.pending_invitations_to": (
        1,
        lambda w: people.pending_invitations_to(w.lead.id),
    ),
    "people.members_of": (1 + 1, lambda w: people.members_of(w.lead.id)),
    "federation.peers": (1, lambda w: federation.peers()),
    "federation.active_peers": (
        1,
        lambda w: federation.active_peers(LinkPurpose.CONTRIBUTES_TO),
    ),
    "federation.attached": (1, lambda w: federation.attached(1)),
    "federation.orientations": (1, lambda w: rows(federation.orientations())),
    "federation.orientation": (1, lambda w: federation.orientation(1)),
    "federation.taken_up": (1, lambda w: federation.taken_up(1)),
    "federation.regional_amendments": (
        1,
        lambda w: federation.regional_amendments(1),
    ),
    "federation.attachable": (1, lambda w: federation.attachable(1, 200)),
    "federation.contributions": (1, lambda w: rows(federation.contributions())),
    "federation.contribution": (1, lambda w: federation.contribution(1)),
    "federation.contribution_versions": (
        1,
        lambda w: federation.contribution_versions(1),
    ),
    "federation.peer_by_actor": (1, lambda w: federation.peer_by_actor("https://x")),
    "federation.peer_by_key": (1, lambda w: federation.peer_by_key("https://x#k")),
    "federation.recent_messages": (1, lambda w: federation.recent_messages(50)),
    "federation.sent_activity": (1, lambda w: federation.sent_activity("https://x")),
    "federation.was_received": (1, lambda w: federation.was_received("https://x")),
    "people.mentionable": (
        1 + 1 + 1,
        lambda w: people.mentionable({w.writer.display_name, w.lead.name}),
    ),
    "people.mention_suggestions": (
        1 + 1 + 1,
        lambda w: people.mention_suggestions(w.writer.display_name[:3]),
    ),
    "positions.of_my_networks": (
        1,
        lambda w: rows(positions.of_my_networks(w.writer.id)),
    ),
    "positions.open_consultations": (
        1,
        lambda w: rows(positions.open_consultations(utcnow())),
    ),
    "positions.board_queue": (1, lambda w: rows(positions.board_queue())),
    "positions.awaiting_publication": (1, lambda w: positions.awaiting_publication()),
    "positions.titles": (1, lambda w: positions.titles([1, 2, 3])),
    "positions.consulted_revision": (
        1,
        lambda w: positions.consulted_revision(w.voted),
    ),
    "positions.for_page": (1 + 1, lambda w: positions.for_page(w.consulted.id)),
    "positions.filtered": (1 + 2, lambda w: rows(positions.filtered(form(q="emploi")))),
    "positions.revision": (1, lambda w: positions.revision(w.consulted, 1)),
    "positions.annexes_of": (1, lambda w: positions.annexes_of(w.consulted)),
    "positions.annex": (1, lambda w: positions.annex(w.consulted, 1)),
    "positions.history": (1 + 1, lambda w: rows(positions.history(w.consulted))),
    "statements.themes_in_order": (1, lambda w: statements.themes_in_order()),
    "statements.publication_years": (1, lambda w: statements.publication_years()),
    "statements.filtered_statements": (
        1,
        lambda w: rows(
            statements.filtered_statements(
                form(q="déclaration", arena=Arena.REGIONAL, year="2026")
            )
        ),
    ),
    "statements.signatures_of": (
        1 + 1,
        lambda w: statements.signatures_of(w.statement),
    ),
    "statements.signature_counts": (
        1,
        lambda w: statements.signature_counts([w.statement.id]),
    ),
    "statements.versions_of": (1, lambda w: statements.versions_of(w.statement)),
    "statements.version_dates": (1, lambda w: statements.version_dates(w.statement)),
    "statements.version": (1, lambda w: statements.version(w.statement, 1)),
    "statements.follow_ups_of": (1, lambda w: statements.follow_ups_of(w.statement)),
    "statements.revisions_by_id": (1, lambda w: statements.revisions_by_id([1, 2])),
    "statements.network_by_slug": (
        1,
        lambda w: statements.network_by_slug("mouvement"),
    ),
    "statements.written_by": (
        1,
        lambda w: statements.listed(statements.written_by(w.lead)),
    ),
    "statements.signed_by": (
        1,
        lambda w: statements.slugs(statements.signed_by(w.lead)),
    ),
    "statements.latest": (1, lambda w: statements.latest(6)),
    "statements.arena_counts": (1, lambda w: statements.arena_counts()),
    "statements.for_feed": (1, lambda w: statements.for_feed(50, arena=Arena.REGIONAL)),
    "statements.theme_by_slug": (1, lambda w: statements.theme_by_slug("emploi")),
    "statements.search_hits": (
        1,
        lambda w: rows(statements.search_hits(search.parse("déclaration"))),
    ),
    "statements.search_documents": (
        1,
        lambda w: statements.search_documents([1, 2, 3]),
    ),
    "statements.of_position": (1, lambda w: statements.of_position(w.voted)),
    "statements.published_at_slug": (
        1,
        lambda w: statements.published_at_slug(w.statement.slug),
    ),
    "votes.awaiting_ballots": (
        1,
        lambda w: rows(votes.awaiting_ballots(w.writer.id, utcnow())),
    ),
    "votes.tallies": (1, lambda w: votes.tallies(w.motion_ids)),
    "votes.participation": (1, lambda w: votes.participation(w.motion_ids)),
    "votes.breakdown": (1, lambda w: votes.breakdown(w.motion_ids, Network.family)),
    "votes.vote_rounds": (1, lambda w: votes.vote_rounds(w.voted)),
    "votes.motions_of_round": (1, lambda w: votes.motions_of_round(w.voted, 1)),
    "votes.current_motions_listed": (
        1,
        lambda w: votes.current_motions_listed(w.voted),
    ),
    "votes.ballots_of": (1, lambda w: votes.ballots_of(w.motion_ids, [w.lead.id])),
    "votes.ballots_on": (1 + 1, lambda w: rows(votes.ballots_on(w.motion))),
}


@pytest.fixture
def world(create_network, create_user, walk_position, publish, staff):
    made = World(create_network, create_user, walk_position, publish, staff)
    made.grow(2)
    return made


def measure(world, count_queries) -> dict[str, int]:
    """The statements each read makes, every one from an empty session."""
    world.attach()
    world.amendment = _db.session.scalar(
        sa.select(Amendment).filter_by(position_id=world.consulted.id, number=1)
    )
    world.motion_ids = [m.id for m in votes.current_motions_listed(world.voted)]
    world.motion = _db.session.get(votes.Motion, world.motion_ids[0])
    world.broadcasts = _db.session.scalars(
        sa.select(Notification).where(Notification.user_id.is_(None))
    ).all()
    world.attach()  # loaded now, read detached below
    made = {}
    for name, (_expected, read) in READS.items():
        _db.session.expunge_all()
        with count_queries() as counter:
            read(world)
        made[name] = counter.count
    return made


def test_every_read_is_counted():
    named = {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}"
        for module in MODULES
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_")
    }
    assert named - BUILDING_BLOCKS == set(READS)
    package = Path(advocacy.queries.__path__[0])
    assert {m.__name__ for m in MODULES} == {
        f"advocacy.queries.{p.stem}"
        for p in package.glob("*.py")
        if p.stem != "__init__"
    }


def test_no_read_grows_with_the_data(world, count_queries):
    small = measure(world, count_queries)
    world.grow(4)
    grown = measure(world, count_queries)
    expected = {name: count for name, (count, _read) in READS.items()}
    assert small == expected
    assert grown == expected
