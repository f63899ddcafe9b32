"""The benchmark's databases: a region, and a national federation ten times larger.

Networks, people, memberships, comments and ballots are inserted in bulk; the
published statements, and the positions members work on, are made through the
real services, so that the texts, their search index and "how it was built" are
what the platform itself writes.

Besides the archive, each database holds what a member works on all day: a
position in consultation with ``live_comments`` comments (a quarter of them
replies) and ``live_amendments`` amendments; a vote open and one closed, with
ballots of hundreds of networks; a position before the board; a draft with a
long history. ``bench.member`` represents the lead network, sits on the board,
and is told of everything.
"""

import itertools
import multiprocessing
import os
import random
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from advocacy.demo import THEMES
from advocacy.demo.walk import skip_to, walk
from advocacy.extensions import db
from advocacy.markup import render_markdown
from advocacy.models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Arena,
    Ballot,
    BallotChoice,
    Comment,
    Department,
    EssFamily,
    Membership,
    MembershipRole,
    Motion,
    MotionKind,
    Network,
    NetworkKind,
    Position,
    PositionState,
    Signature,
    Theme,
    User,
    utcnow,
)
from advocacy.passwords import hash_password
from advocacy.services import consultation, votes
from advocacy.services import positions as positions_service
from advocacy.services import statements as statements_service

SCALES = {
    "region": {
        "networks": 1500,
        "people": 5000,
        "statements": 500,
        "comments": 50_000,
        "ballots": 200_000,
        "live_comments": 2000,
        "live_amendments": 100,
        "live_voters": 200,
    },
    "national": {
        "networks": 15_000,
        "people": 50_000,
        "statements": 5000,
        "comments": 500_000,
        "ballots": 2_000_000,
        "live_comments": 2000,
        "live_amendments": 100,
        "live_voters": 300,
    },
}
MEMBER_EMAIL = "bench.member@bench.porte-voix.fr"
WORDS = (
    "économie sociale solidaire emploi territoire coopération association mutuelle"
    " coopérative transition écologique jeunesse santé logement alimentation"
    " commande publique insertion réemploi circulaire culture sport tourisme"
    " financement innovation sociale région département commune bénévolat"
).split()
CHUNK = 10_000
SEED = 2026


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def _body(rng: random.Random) -> str:
    parts = [_sentence(rng, 25)]
    for heading in ("Constat", "Enjeux", "Propositions", "Suivi"):
        parts.append(f"# {heading}")
        parts += [_sentence(rng, rng.randint(30, 60)) for _ in range(3)]
    return "\n\n".join(parts)


def _bulk(model, rows) -> None:
    """Insert ``rows`` (an iterable of dicts, all with the same keys) without the
    ORM's cost: COPY on PostgreSQL, multi-row INSERTs in chunks on SQLite."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, model.__table__, rows)
        return
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            db.session.execute(sa.insert(model), chunk)
            chunk = []
    if chunk:
        db.session.execute(sa.insert(model), chunk)


def _copy(connection, table: sa.Table, rows) -> None:
    """COPY the rows in, each value made what the column stores (enums by value),
    and the defaults of the columns the rows leave out filled in."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    given = list(first)
    defaults = {
        c.name: c.default.arg
        for c in table.columns
        if c.name not in given
        and c.default is not None
        and c.default.is_scalar
        and not c.primary_key
    }
    callables = {
        c.name: c.default.arg
        for c in table.columns
        if c.name not in given and c.default is not None and c.default.is_callable
    }
    names = given + list(defaults) + list(callables)
    dialect = connection.dialect
    processors = [table.c[n].type.bind_processor(dialect) for n in names]
    cursor = connection.connection.driver_connection.cursor()
    columns = ", ".join(f'"{n}"' for n in names)
    with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in itertools.chain((first,), rows):
            values = [row[n] for n in given] + list(defaults.values())
            values += [f(None) for f in callables.values()]
            copy.write_row(
                [p(v) if p else v for p, v in zip(processors, values, strict=True)]
            )


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def build(scale: str = "region", echo=print) -> dict[str, int]:
    """Fill the (empty, migrated) database of the current app; return the counts."""
    size = SCALES[scale]
    rng = random.Random(SEED)
    started = time.monotonic()

    def step(what: str) -> None:
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))  # plans for the data just written
        db.session.commit()
        echo(f"  {what}: {time.monotonic() - started:.0f} s")

    _bulk(
        Theme,
        (
            {
                "slug": slug,
                "name_fr": name_fr,
                "name_en": name_en,
                "description_fr": desc_fr,
                "description_en": desc_en,
                "sort_order": i,
            }
            for i, (slug, name_fr, name_en, desc_fr, desc_en) in enumerate(THEMES)
        ),
    )
    families, departments, kinds = list(EssFamily), list(Department), list(NetworkKind)
    _bulk(
        Network,
        (
            {
                "name": f"Réseau {i:05d} de l'ESS",
                "slug": f"reseau-{i:05d}",
                "kind": kinds[i % len(kinds)],
                "family": families[i % len(families)],
                "department": departments[i % len(departments)],
                "description": _sentence(rng, 20),
                "website": "",
            }
            for i in range(size["networks"])
        ),
    )
    password = hash_password("benchmark password of the region")
    people = size["people"]
    _bulk(
        User,
        (
            {
                "email": MEMBER_EMAIL if i == 1 else f"person{i}@bench.porte-voix.fr",
                "display_name": f"Personne {i}",
                "password_hash": password,
                "is_admin": i == 0,
                "is_board": i < 10,
                "created_at": datetime(2021, 1, 1, tzinfo=UTC),
            }
            for i in range(people)
        ),
    )
    network_ids = db.session.scalars(sa.select(Network.id).order_by(Network.id)).all()
    user_ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
    _bulk(
        Membership,
        (
            {
                "user_id": user_id,
                "network_id": network_ids[i % len(network_ids)],
                "role": MembershipRole.COORDINATOR
                if i < len(network_ids)
                else MembershipRole.REPRESENTATIVE,
            }
            for i, user_id in enumerate(user_ids)
        ),
    )
    step("networks and people")

    staff_id = user_ids[0]
    count = size["statements"]
    _in_parts(_make_positions, count, size, network_ids, staff_id)
    step("positions")

    # plain values: a COPY holds the connection, the ORM may not load meanwhile
    written = db.session.execute(
        sa.select(Position.id, Position.current_revision_id).order_by(Position.id)
    ).all()
    opened = datetime.now(UTC) - timedelta(days=30)
    _bulk(
        Motion,
        (
            {
                "position_id": position_id,
                "kind": MotionKind.ADOPT_TEXT,
                "quorum": 0.25,
                "eligible_count": len(network_ids),
                "opened_at": opened,
                "closes_at": opened + timedelta(days=7),
            }
            for position_id, _revision in written
        ),
    )
    db.session.commit()
    _in_parts(_discuss_and_vote, count, size, written, network_ids, user_ids, opened)
    step("comments and ballots")

    # Each vote is counted as close_vote would; the text was adopted.
    tallies = {
        motion_id: (for_, against, abstain)
        for motion_id, for_, against, abstain in db.session.execute(
            sa.select(
                Ballot.motion_id,
                sa.func.count().filter(Ballot.choice == BallotChoice.FOR),
                sa.func.count().filter(Ballot.choice == BallotChoice.AGAINST),
                sa.func.count().filter(Ballot.choice == BallotChoice.ABSTAIN),
            ).group_by(Ballot.motion_id)
        )
    }
    db.session.execute(
        sa.update(Motion),
        [
            {
                "id": motion_id,
                "votes_for": f,
                "votes_against": a,
                "votes_abstain": b,
                "quorum_reached": True,
                "passed": f > a,
                "closed_at": opened + timedelta(days=7),
            }
            for motion_id, (f, a, b) in tallies.items()
        ],
    )
    db.session.commit()
    _in_parts(_publish, count, size, written, network_ids, staff_id, opened)
    step("published")

    _live(rng, size, network_ids, user_ids)
    step("what members work on")
    return {
        "networks": _count(Network),
        "people": _count(User),
        "statements": size["statements"],
        "comments": _count(Comment),
        "ballots": _count(Ballot),
    }


#: Processes the statements are made, discussed and published by, on PostgreSQL
#: (the machine's cores; SQLite takes one writer at a time).
PARTS = min(4, os.cpu_count() or 1)


def _in_parts(work, count: int, *args) -> None:
    """``work(indices, *args)`` over ``range(count)``: in ``PARTS`` processes at
    once on PostgreSQL, each with its own connections, else here in one go. Each
    part draws from its own seeded generator, so the data is the same at each build.
    """
    parts = PARTS if db.engine.dialect.name == "postgresql" else 1
    if parts == 1:
        work(range(count), *args)
        db.session.commit()
        return
    db.session.commit()
    db.session.close()
    db.engine.dispose()
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_part, args=(work, range(n, count, parts), *args))
        for n in range(parts)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    failed = [p.exitcode for p in processes if p.exitcode]
    if failed:
        raise RuntimeError(f"{work.__name__}: a part failed ({failed})")


def _part(work, indices: range, *args) -> None:
    db.engine.dispose(close=False)  # the parent's connections stay the parent's
    work(indices, *args)
    db.session.commit()
    db.session.close()
    db.engine.dispose()


def _rng(step: str, indices: range) -> random.Random:
    return random.Random(f"{SEED}-{step}-{indices.start}-{indices.step}")


def _make_positions(indices: range, size, network_ids, staff_id) -> None:
    rng = _rng("positions", indices)
    themes = db.session.scalars(sa.select(Theme)).all()
    staff = db.session.get(User, staff_id)
    for n, i in enumerate(indices):
        lead = db.session.get(Network, network_ids[(i * 7) % len(network_ids)])
        positions_service.create_position(
            title=f"{_sentence(rng, 6)[:-1]} ({i + 1})",
            summary=_sentence(rng, 18),
            body=_body(rng),
            lead=lead,
            themes=rng.sample(themes, 2),
            arenas=rng.sample(list(Arena), rng.randint(1, 2)),
            by=staff,
        )
        if n % 100 == 99:
            db.session.commit()


def _discuss_and_vote(
    indices: range, size, written, network_ids, user_ids, opened
) -> None:
    """The comments and the ballots of the statements ``indices``."""
    rng = _rng("discussion", indices)
    mine = [written[i] for i in indices]
    per_position = size["comments"] // size["statements"]
    _bulk(
        Comment,
        (
            {
                "position_id": position_id,
                "revision_id": revision_id,
                "author_id": user_ids[k],
                "network_id": network_ids[k % len(network_ids)],
                "body": _sentence(rng, 15),
                "body_html": f"<p>{_sentence(rng, 15)}</p>",
                "section_id": None if j % 3 else "constat",
            }
            for position_id, revision_id in mine
            for j in range(per_position)
            for k in (rng.randrange(len(user_ids)),)
        ),
    )
    motions = dict(
        db.session.execute(
            sa.select(Motion.position_id, Motion.id).where(
                Motion.position_id.in_([p for p, _r in mine])
            )
        ).all()
    )
    per_motion = size["ballots"] // size["statements"]
    choices = [BallotChoice.FOR] * 6 + [BallotChoice.AGAINST, BallotChoice.ABSTAIN]
    _bulk(
        Ballot,
        (
            {
                "motion_id": motions[position_id],
                "network_id": network_id,
                "choice": rng.choice(choices),
                "cast_at": opened + timedelta(days=1),
            }
            for position_id, _revision in mine
            for network_id in rng.sample(network_ids, per_motion)
        ),
    )


def _publish(indices: range, size, written, network_ids, staff_id, opened) -> None:
    """Publish the statements ``indices``, one every few hours since 2022."""
    rng = _rng("publication", indices)
    staff = db.session.get(User, staff_id)
    start_of_plan = datetime(2022, 1, 10, 10, tzinfo=UTC)
    hours = 4 * 365 * 24 / size["statements"]
    for n, i in enumerate(indices):
        position = db.session.get(Position, written[i][0])
        position.vote_opened_at = opened
        position.vote_closes_at = opened + timedelta(days=7)
        position.vote_closed_at = opened + timedelta(days=7)
        # the board's approval is not the benchmark's concern: skip to it
        skip_to(position, PositionState.APPROVED)
        moment = start_of_plan + timedelta(hours=i * hours)
        version = statements_service.publish_statement(position, by=staff, at=moment)
        signatures = [
            {"statement_id": version.statement_id, "network_id": n}
            for n in rng.sample(network_ids, rng.randint(0, 12))
            if n != position.lead_network_id
        ]
        if signatures:
            db.session.execute(sa.insert(Signature), signatures)
        if n % 50 == 49:
            db.session.commit()


def _live(rng, size, network_ids, user_ids) -> None:
    """The positions members work on, made through the services.

    Their votes need only 1 % of the networks to take part: the few hundred
    voters here stand for a turnout the benchmark does not need to cast.
    """
    current_app.config["VOTE_QUORUM"] = 0.01
    member = db.session.scalar(sa.select(User).filter_by(email=MEMBER_EMAIL))
    lead = member.memberships[0].network
    others = [db.session.get(Network, n) for n in network_ids[2:6]]
    now = utcnow()

    def position(title: str) -> Position:
        made = positions_service.create_position(
            title=title,
            summary=_sentence(rng, 18),
            body=_body(rng),
            lead=lead,
            themes=[],
            arenas=[Arena.REGIONAL],
            by=member,
        )
        for network in others[:2]:
            positions_service.add_coauthor(made, network, by=member)
        return made

    # A draft with a long history: forty versions, by turns.
    drafted = position("Pour une commande publique responsable")
    for n in range(40):
        current = drafted.current_revision
        positions_service.save_revision(
            drafted,
            title=current.title,
            summary=current.summary,
            body=current.body + "\n\n" + _sentence(rng, 30),
            message=f"version {n + 2}",
            base=current,
            network=lead,
            by=member,
        )

    # In consultation: comments (a quarter of them replies) and amendments.
    consulted = walk(
        position("Bien vieillir dans nos territoires"),
        until="consultation",
        by=member,
        days=20,
    )
    revision = consulted.current_revision
    sections = [s["id"] for s in revision.sections]
    consulted_id, revision_id = consulted.id, revision.id
    top = size["live_comments"] * 3 // 4
    _bulk(
        Comment,
        (
            {
                "position_id": consulted_id,
                "revision_id": revision_id,
                "author_id": user_ids[k],
                "network_id": network_ids[k % len(network_ids)],
                "section_id": None if j % 4 == 0 else sections[j % len(sections)],
                "body": body,
                "body_html": render_markdown(body),
                "created_at": now - timedelta(minutes=top - j),
            }
            for j in range(top)
            for k in (rng.randrange(len(user_ids)),)
            for body in (_sentence(rng, 25),)
        ),
    )
    parents = db.session.execute(
        sa.select(Comment.id, Comment.section_id).where(
            Comment.position_id == consulted.id
        )
    ).all()
    _bulk(
        Comment,
        (
            {
                "position_id": consulted_id,
                "revision_id": revision_id,
                "parent_id": parent.id,
                "author_id": user_ids[k],
                "network_id": network_ids[k % len(network_ids)],
                "section_id": parent.section_id,
                "body": body,
                "body_html": render_markdown(body),
            }
            for j in range(size["live_comments"] - top)
            for parent in (parents[rng.randrange(len(parents))],)
            for k in (rng.randrange(len(user_ids)),)
            for body in (_sentence(rng, 12),)
        ),
    )
    by_id = {s["id"]: s["text"] for s in revision.sections}
    _bulk(
        Amendment,
        (
            {
                "position_id": consulted_id,
                "number": n + 1,
                "revision_id": revision_id,
                "section_id": section,
                "section_text": by_id[section],
                "kind": AmendmentKind.REPLACE,
                "proposed": proposed,
                "proposed_html": render_markdown(proposed),
                "rationale": "Plus précis.",
                "rationale_html": "<p>Plus précis.</p>",
                "network_id": network_ids[(n * 13) % len(network_ids)],
                "author_id": user_ids[(n * 13) % len(network_ids)],
                "status": AmendmentStatus.FILED,
                "form_token": f"bench-{consulted_id}-{n}",
            }
            for n in range(size["live_amendments"])
            for section in (sections[1 + n % (len(sections) - 1)],)
            for proposed in (by_id[section] + " " + _sentence(rng, 12),)
        ),
    )

    # A vote open, and one closed with its results.
    voters = [
        (db.session.get(Network, network_ids[i]), db.session.get(User, user_ids[i]))
        for i in range(10, 10 + size["live_voters"])
    ]
    walk(
        position("Une alimentation saine et durable"),
        until="consolidation",
        by=member,
        voters=voters,
    )
    voting = walk(
        position("Jeunesse : l'engagement, levier d'insertion"),
        until="consultation",
        by=member,
    )
    voting.consultation_closes_at = now - timedelta(seconds=1)
    for motion in votes.open_vote(voting, closes_at=now + timedelta(days=6), by=member):
        for network, person in voters[::2]:
            votes.cast_ballot(
                motion, voting, network=network, choice=BallotChoice.FOR, by=person
            )

    # Before the board: three positions.
    for title in ("Tourisme social", "Énergies citoyennes", "Crèches associatives"):
        walk(position(title), until="board_review", by=member, voters=voters)
    consultation.post_comment(consulted, body="Merci à tous.", by=member, network=lead)
