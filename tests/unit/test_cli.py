"""Command-line tools: seed-demo, create-admin, import-networks."""

import sqlalchemy as sa

from advocacy.demo import NETWORKS, STAFF_EMAIL
from advocacy.models import (
    Amendment,
    AmendmentSupport,
    Ballot,
    Comment,
    Department,
    EssFamily,
    FollowUp,
    Membership,
    Network,
    Position,
    PositionState,
    Revision,
    Signature,
    Statement,
    Theme,
    User,
)
from advocacy.passwords import verify_password


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_demo_is_complete_and_idempotent(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert STAFF_EMAIL in result.output and "board member" in result.output
    counts = (
        _count(db, Network),
        _count(db, User),
        _count(db, Theme),
        _count(db, Membership),
    )
    assert counts[0] == len(NETWORKS) and 35 <= counts[1] <= 45 and counts[2] >= 10
    families = set(db.session.scalars(sa.select(Network.family)))
    departments = set(db.session.scalars(sa.select(Network.department)))
    assert families == set(EssFamily) and departments == set(Department)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.is_board.is_(True))
        )
        == 3
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.is_admin.is_(True))
        )
        == 1
    )
    assert all(db.session.scalars(sa.select(Network.is_demo)))
    staff = db.session.scalar(sa.select(User).filter_by(email=STAFF_EMAIL))
    assert verify_password(staff.password_hash, app.config["DEMO_PASSWORD"])

    positions = db.session.scalars(sa.select(Position)).all()
    states = {p.state for p in positions}
    assert {
        PositionState.DRAFT,
        PositionState.CONSULTATION,
        PositionState.VOTE,
    } <= states
    live = next(p for p in positions if p.state is PositionState.CONSULTATION)
    assert live.consultation_is_open()
    assert _count(db, Comment) >= 3 and _count(db, Amendment) >= 3
    assert _count(db, AmendmentSupport) >= 2
    assert {
        PositionState.BOARD_REVIEW,
        PositionState.REJECTED,
        PositionState.PUBLISHED,
    } <= states
    statements = db.session.scalars(sa.select(Statement)).all()
    assert len(statements) >= 12
    assert any(s.current_version.number == 2 for s in statements)
    assert _count(db, Signature) >= 12 and _count(db, FollowUp) >= 12
    assert len({s.published_at.year for s in statements}) >= 3
    voting = next(p for p in positions if p.state is PositionState.VOTE)
    assert voting.vote_is_open() and _count(db, Ballot) >= 10
    for position in positions:
        revisions = db.session.scalars(
            sa.select(Revision).filter_by(position_id=position.id)
        ).all()
        assert position.coauthors and position.themes
        if (
            position.state is PositionState.DRAFT
        ):  # written in turns by several networks
            assert len(revisions) >= 3
            assert len({r.network_id for r in revisions}) >= 3

    revisions_before = _count(db, Revision)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert _count(db, Position) == len(positions)
    assert _count(db, Revision) == revisions_before
    again = (
        _count(db, Network),
        _count(db, User),
        _count(db, Theme),
        _count(db, Membership),
    )
    assert again == counts


def test_create_admin(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "Directrice@Example.org",
            "--name",
            "Directrice",
            "--password",
            "meadow lantern copper violin",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert user.email == "directrice@example.org" and user.is_admin


def test_create_admin_refuses_a_weak_password_and_a_duplicate(app, db, staff):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--password",
            "password",
        ]
    )
    assert weak.exit_code != 0 and "12" in weak.output
    dup = runner.invoke(
        args=[
            "create-admin",
            "--email",
            staff.email,
            "--name",
            "A",
            "--password",
            "meadow lantern copper violin",
        ]
    )
    assert dup.exit_code != 0 and "existe déjà" in dup.output
    assert _count(db, User) == 1


GOOD_CSV = """name,kind,family,department,description,website,slug
Union régionale des Scic,sector,cooperative,region,Fédère les Scic,https://scic.example.org,
Recyclerie de Mayenne,enterprise,commercial,53,,,
"""


def test_import_networks(app, db, tmp_path):
    path = tmp_path / "networks.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-networks", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 network(s) imported" in result.output
    mayenne = db.session.scalar(
        sa.select(Network).filter_by(slug="recyclerie-de-mayenne")
    )
    assert (
        mayenne.department is Department.MAYENNE
        and mayenne.family is EssFamily.COMMERCIAL
    )


def test_import_networks_is_all_or_nothing(app, db, tmp_path, network):
    path = tmp_path / "networks.csv"
    path.write_text(
        GOOD_CSV
        + ",sector,cooperative,44,,,\n"
        + "Réseau X,federation,cooperative,44,,,\n"
        + "Réseau Y,sector,cooperative,75,,ftp://x,\n"
        + f"Doublon,sector,cooperative,44,,,{network.slug}\n"
        + "Mauvaise adresse,sector,cooperative,44,,,Pas Une Adresse!\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["import-networks", str(path)])
    assert result.exit_code != 0
    assert result.output.count("line 5: kind") == 1
    for expected in (
        "line 4: name",
        "line 5: kind",
        "line 6: department",
        "line 6: website",
        "line 7: slug",
        "line 8: slug",
        "nothing was imported",
    ):
        assert expected in result.output
    assert _count(db, Network) == 1


def test_import_networks_needs_the_columns(app, tmp_path):
    path = tmp_path / "networks.csv"
    path.write_text("nom,type\nx,y\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-networks", str(path)])
    assert result.exit_code != 0 and "missing columns" in result.output
