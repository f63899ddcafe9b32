"""A region-scale database for the benchmark, in a file of its own.

1,500 networks, 5,000 people, 500 published statements, 50,000 comments and
200,000 ballots. Networks, people, comments and ballots are inserted in bulk;
the positions are created and published through the real services, so that the
statements, their search index and their "how it was built" are what the
platform itself writes.
"""

import random
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from advocacy.demo import THEMES
from advocacy.extensions import db
from advocacy.models import (
    Arena,
    Ballot,
    BallotChoice,
    Comment,
    Department,
    EssFamily,
    Membership,
    Motion,
    MotionKind,
    Network,
    NetworkKind,
    PositionState,
    Signature,
    Theme,
    User,
)
from advocacy.passwords import hash_password
from advocacy.services import positions as positions_service
from advocacy.services import statements as statements_service

SCALE = {
    "networks": 1500,
    "people": 5000,
    "statements": 500,
    "comments": 50_000,
    "ballots": 200_000,
}
WORDS = (
    "économie sociale solidaire emploi territoire coopération association mutuelle"
    " coopérative transition écologique jeunesse santé logement alimentation"
    " commande publique insertion réemploi circulaire culture sport tourisme"
    " financement innovation sociale région département commune bénévolat"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def _body(rng: random.Random) -> str:
    parts = [_sentence(rng, 25)]
    for heading in ("Constat", "Enjeux", "Propositions", "Suivi"):
        parts.append(f"# {heading}")
        parts += [_sentence(rng, rng.randint(30, 60)) for _ in range(3)]
    return "\n\n".join(parts)


def build(echo=print) -> dict[str, int]:
    """Fill the (empty, migrated) database of the current app; return the counts."""
    rng = random.Random(2026)
    started = time.monotonic()
    families, departments = list(EssFamily), list(Department)
    kinds = list(NetworkKind)
    db.session.execute(
        sa.insert(Theme),
        [
            {
                "slug": slug,
                "name_fr": name_fr,
                "name_en": name_en,
                "description_fr": desc_fr,
                "description_en": desc_en,
                "sort_order": i,
            }
            for i, (slug, name_fr, name_en, desc_fr, desc_en) in enumerate(THEMES)
        ],
    )
    db.session.execute(
        sa.insert(Network),
        [
            {
                "name": f"Réseau {i:04d} de l'ESS",
                "slug": f"reseau-{i:04d}",
                "kind": kinds[i % len(kinds)],
                "family": families[i % len(families)],
                "department": departments[i % len(departments)],
                "description": _sentence(rng, 20),
                "website": "",
            }
            for i in range(SCALE["networks"])
        ],
    )
    password = hash_password("benchmark password of the region")
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": f"person{i}@bench.porte-voix.fr",
                "display_name": f"Personne {i}",
                "password_hash": password,
                "is_admin": i == 0,
                "is_board": i < 10,
            }
            for i in range(SCALE["people"])
        ],
    )
    network_ids = db.session.scalars(sa.select(Network.id).order_by(Network.id)).all()
    user_ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
    db.session.execute(
        sa.insert(Membership),
        [
            {"user_id": user_id, "network_id": network_ids[i % len(network_ids)]}
            for i, user_id in enumerate(user_ids)
        ],
    )
    db.session.commit()
    echo(f"  networks and people: {time.monotonic() - started:.1f} s")

    themes = db.session.scalars(sa.select(Theme)).all()
    staff = db.session.get(User, user_ids[0])
    networks = {n.id: n for n in db.session.scalars(sa.select(Network))}
    positions = []
    for i in range(SCALE["statements"]):
        lead = networks[network_ids[(i * 7) % len(network_ids)]]
        position = positions_service.create_position(
            title=f"{_sentence(rng, 6)[:-1]} ({i + 1})",
            summary=_sentence(rng, 18),
            body=_body(rng),
            lead=lead,
            themes=rng.sample(themes, 2),
            arenas=rng.sample(list(Arena), rng.randint(1, 2)),
            by=staff,
        )
        positions.append(position)
    db.session.commit()
    echo(f"  positions: {time.monotonic() - started:.1f} s")

    per_position = SCALE["comments"] // SCALE["statements"]
    rows = []
    for position in positions:
        for j in range(per_position):
            k = rng.randrange(len(user_ids))
            rows.append(
                {
                    "position_id": position.id,
                    "revision_id": position.current_revision_id,
                    "author_id": user_ids[k],
                    "network_id": network_ids[k % len(network_ids)],
                    "body": _sentence(rng, 15),
                    "body_html": f"<p>{_sentence(rng, 15)}</p>",
                    "section_id": None if j % 3 else "constat",
                }
            )
    db.session.execute(sa.insert(Comment), rows)
    opened = datetime.now(UTC) - timedelta(days=30)
    db.session.execute(
        sa.insert(Motion),
        [
            {
                "position_id": p.id,
                "kind": MotionKind.ADOPT_TEXT,
                "quorum": 0.25,
                "eligible_count": len(network_ids),
                "opened_at": opened,
                "closes_at": opened + timedelta(days=7),
            }
            for p in positions
        ],
    )
    motions = dict(db.session.execute(sa.select(Motion.position_id, Motion.id)).all())
    per_motion = SCALE["ballots"] // SCALE["statements"]
    choices = [BallotChoice.FOR] * 6 + [BallotChoice.AGAINST, BallotChoice.ABSTAIN]
    rows = []
    for position in positions:
        for network_id in rng.sample(network_ids, per_motion):
            rows.append(
                {
                    "motion_id": motions[position.id],
                    "network_id": network_id,
                    "choice": rng.choice(choices),
                    "cast_at": opened + timedelta(days=1),
                }
            )
    db.session.execute(sa.insert(Ballot), rows)
    db.session.commit()
    echo(f"  comments and ballots: {time.monotonic() - started:.1f} s")

    start_of_plan = datetime(2022, 1, 10, 10, tzinfo=UTC)
    for i, position in enumerate(positions):
        position.vote_opened_at = opened
        position.state = PositionState.APPROVED
        moment = start_of_plan + timedelta(hours=i * 28)
        version = statements_service.publish_statement(position, by=staff, at=moment)
        signatures = [
            {"statement_id": version.statement_id, "network_id": n}
            for n in rng.sample(network_ids, rng.randint(0, 12))
            if n != position.lead_network_id
        ]
        if signatures:
            db.session.execute(sa.insert(Signature), signatures)
        if i % 50 == 49:
            db.session.commit()
    db.session.commit()
    echo(f"  published: {time.monotonic() - started:.1f} s")
    return {
        "networks": db.session.scalar(sa.select(sa.func.count()).select_from(Network)),
        "people": db.session.scalar(sa.select(sa.func.count()).select_from(User)),
        "statements": SCALE["statements"],
        "comments": db.session.scalar(sa.select(sa.func.count()).select_from(Comment)),
        "ballots": db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)),
    }
