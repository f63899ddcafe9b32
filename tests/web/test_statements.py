"""Publication and the public statement: versions, provenance, co-signatures, no names."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from advocacy.demo.walk import skip_to
from advocacy.extensions import db as _db
from advocacy.models import (
    AmendmentKind,
    BallotChoice,
    BoardChoice,
    Position,
    PositionState,
    Signature,
    Statement,
    StatementVersion,
    User,
    utcnow,
)
from advocacy.models.audit import AppendOnlyError
from advocacy.services import (
    ServiceError,
    amendments,
    board,
    consolidation,
    consultation,
    votes,
)
from advocacy.services import positions as positions_service
from advocacy.services import statements as service
from tests.conftest import CONFIRMED, IS_POSTGRES, heading, login, page_text, refused

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)


@pytest.fixture
def members(create_user):
    return [
        create_user(
            email=f"ca{i}@example.org",
            display_name=f"Administratrice {i}",
            is_board=True,
        )
        for i in range(2)
    ]


@pytest.fixture
def approved(
    app,
    db,
    walk_position,
    representative,
    network,
    members,
    create_network,
    create_user,
):
    """A position amended by another network, voted, consolidated and approved."""
    partner = create_network(name="Mutuelle de Sarthe")
    author = create_user(
        email="mutuelle@example.org", display_name="Paul Mutuelle", networks=[partner]
    )
    position = walk_position(
        lead=network,
        by=representative,
        until="consultation",
        body=BODY,
        summary="Trois demandes.",
    )
    consultation.post_comment(position, body="Bien.", by=author, network=partner)
    section = position.current_revision.sections[1]["id"]
    amendment, _ = amendments.file_amendment(
        position,
        section_id=section,
        kind=AmendmentKind.REPLACE,
        proposed="# Constat\n\nL'emploi progresse nettement.",
        rationale="Précis.",
        network=partner,
        by=author,
        form_token=amendments.new_form_token(),
    )
    amendments.decide_amendment(
        amendment, position, decision="to_vote", reason="", by=representative
    )
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    motions = votes.open_vote(
        position, closes_at=utcnow() + timedelta(days=1), by=representative
    )
    for motion in motions:
        for voter, net in ((representative, network), (author, partner)):
            votes.cast_ballot(
                motion, position, network=net, choice=BallotChoice.FOR, by=voter
            )
    position.vote_closes_at = utcnow() - timedelta(seconds=1)
    votes.close_vote(position, by=representative)
    consolidation.apply_amendments(position, by=representative)
    board.submit_to_board(position, by=representative)
    for member in members:
        board.record_board_decision(
            position,
            choice=BoardChoice.APPROVE,
            motivation="Texte solide et représentatif.",
            by=member,
        )
    db.session.commit()
    assert position.state is PositionState.APPROVED
    return position


def test_publishing_creates_an_immutable_public_version(client, approved, members, db):
    login(client, members[0])
    response = client.post(f"/positions/{approved.id}/publish", data=CONFIRMED)
    assert response.status_code == 302
    statement = db.session.scalar(sa.select(Statement))
    assert statement.slug == "pour-un-emploi-durable"
    assert response.headers["Location"] == "/statements/pour-un-emploi-durable"
    version = statement.current_version
    assert version.number == 1 and version.building["amendments"]["adopted"] == 1
    assert version.building["participants"]["total"] == 2
    assert db.session.get(Position, approved.id).state is PositionState.PUBLISHED
    client.post("/logout")
    page = page_text(client.get("/statements/pour-un-emploi-durable"))
    assert "Pour un emploi durable" in page and "nettement" in page
    assert "proposé par Mutuelle de Sarthe (amendement 1)" in page
    assert "Texte solide et représentatif." in page
    for private in ("Administratrice", "Paul Mutuelle", "Représentante"):
        assert private not in page
    assert "Pour un emploi durable" in page_text(client.get("/statements/"))
    version.title = "falsifié"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_publishing_twice_is_refused(client, approved, members, db):
    login(client, members[0])
    assert (
        client.post(f"/positions/{approved.id}/publish", data=CONFIRMED).status_code
        == 302
    )
    assert (
        client.post(f"/positions/{approved.id}/publish", data=CONFIRMED).status_code
        == 409
    )
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(StatementVersion)) == 1
    )


@pytest.mark.skipif(not IS_POSTGRES, reason="concurrent writers need PostgreSQL")
def test_publishing_twice_at_once_publishes_once(app, approved, members, db):
    """Two board members press "publish" together: one version, one refusal."""
    barrier = threading.Barrier(2, timeout=30)
    outcomes = []

    def publish(user_id):
        with app.app_context():
            position = _db.session.get(Position, approved.id)
            user = _db.session.get(User, user_id)
            barrier.wait()
            try:
                service.publish_statement(position, by=user)
                _db.session.commit()
                outcomes.append("published")
            except ServiceError as exc:
                _db.session.rollback()
                outcomes.append(exc.status)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=publish, args=(m.id,)) for m in members]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert sorted(map(str, outcomes)) == ["409", "published"]
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(StatementVersion)) == 1
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 1


def test_only_staff_or_board_publish(client, approved, representative, db):
    login(client, representative)
    refused(client.post(f"/positions/{approved.id}/publish", data=CONFIRMED), 403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0


def test_a_new_version_supersedes_the_first_which_stays_readable(
    app, client, approved, members, representative, db
):
    service.publish_statement(approved, by=members[0])
    service.revise_statement(approved, by=representative)
    current = approved.current_revision
    positions_service.save_revision(
        approved,
        title=current.title,
        summary=current.summary,
        body=current.body + "\n\n# Suivi\n\nUn bilan annuel.",
        message="v2",
        base=current,
        network=approved.lead_network,
        by=representative,
    )
    skip_to(approved, PositionState.APPROVED)  # (board review of v2 skipped here)
    service.publish_statement(approved, by=members[0])
    db.session.commit()
    statement = db.session.scalar(sa.select(Statement))
    assert (
        statement.slug == "pour-un-emploi-durable"
        and statement.current_version.number == 2
    )
    assert "Un bilan annuel." in page_text(
        client.get("/statements/pour-un-emploi-durable")
    )
    old = page_text(client.get("/statements/pour-un-emploi-durable/v1"))
    assert "Un bilan annuel." not in old and "Une version ultérieure la remplace" in old
    assert client.get("/statements/pour-un-emploi-durable/v9").status_code == 404
    assert client.get("/statements/nope").status_code == 404
    # what changed, between the published versions
    page = client.get("/statements/pour-un-emploi-durable")
    assert 'href="/statements/pour-un-emploi-durable/compare?' in page.get_data(
        as_text=True
    )
    diff = client.get("/statements/pour-un-emploi-durable/compare")
    assert diff.status_code == 200
    html = diff.get_data(as_text=True)
    assert "<ins" in html and "Un bilan annuel." in page_text(diff)
    assert "Représentante" not in page_text(diff)  # no person's name
    for query, status in (
        ("from=1&to=9", 404),
        ("from=x", 400),
        ("from=-1", 400),
        ("to=" + "9" * 50, 400),
    ):
        response = client.get(f"/statements/pour-un-emploi-durable/compare?{query}")
        assert response.status_code == status, query


def test_networks_co_sign_once_and_may_withdraw(
    app, client, approved, members, representative, network, db
):
    service.publish_statement(approved, by=members[0])
    db.session.commit()
    login(client, representative)
    path = "/statements/pour-un-emploi-durable"
    assert client.post(f"{path}/sign", data={"network": network.id}).status_code == 302
    response = client.post(f"{path}/sign", data={"network": network.id})
    assert response.status_code == 409
    assert "cosigne déjà" in page_text(response)
    page = page_text(client.get(path))
    assert "1 réseau cosigne cette déclaration." in page
    assert (
        client.post(f"{path}/unsign", data={"network": network.id}).status_code == 302
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_signing_for_a_network_i_do_not_represent(
    app, client, approved, members, representative, db, value
):
    service.publish_statement(approved, by=members[0])
    db.session.commit()
    login(client, representative)
    response = client.post(
        "/statements/pour-un-emploi-durable/sign", data={"network": value}
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0


def test_the_public_cannot_sign(app, client, approved, members, network, db):
    service.publish_statement(approved, by=members[0])
    db.session.commit()
    response = client.post(
        "/statements/pour-un-emploi-durable/sign", data={"network": network.id}
    )
    assert response.status_code in (400, 403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 0


def test_positions_stay_hidden_from_the_public_after_publication(
    app, client, approved, members, db
):
    service.publish_statement(approved, by=members[0])
    db.session.commit()
    assert "Consolidation" not in refused(client.get(f"/positions/{approved.id}"), 404)
    assert heading(client.get("/statements/pour-un-emploi-durable")) == (
        "Pour un emploi durable"
    )


def test_the_statement_page_costs_the_same_with_more_signatures(
    app, client, approved, members, create_network, db, count_queries
):
    service.publish_statement(approved, by=members[0])
    db.session.commit()
    statement = db.session.scalar(sa.select(Statement))
    db.session.add(Signature(statement_id=statement.id, network_id=create_network().id))
    db.session.commit()
    with count_queries() as small:
        client.get("/statements/pour-un-emploi-durable")
    for _ in range(30):
        db.session.add(
            Signature(statement_id=statement.id, network_id=create_network().id)
        )
    db.session.commit()
    with count_queries() as large:
        client.get("/statements/pour-un-emploi-durable")
    assert large.count == small.count


class TestFollowUps:
    @pytest.fixture
    def published(self, app, approved, members, db):
        service.publish_statement(approved, by=members[0])
        db.session.commit()
        return "/statements/pour-un-emploi-durable"

    def test_staff_record_the_public_timeline(self, client, published, staff, db):
        login(client, staff)
        response = client.post(
            f"{published}/follow-ups",
            data={
                "happened_on": "2026-11-20",
                "kind": "assembly",
                "text": "Présentée à l'assemblée plénière du conseil régional.",
                "link": "https://www.paysdelaloire.fr/",
            },
        )
        assert response.status_code == 302
        client.post("/logout")
        page = page_text(client.get(published))
        assert (
            "Présentée à l'assemblée plénière" in page
            and "Présentée à une assemblée" in page
        )
        assert "20 novembre 2026" in page

    @pytest.mark.parametrize(
        "data,message",
        [
            ({"happened_on": ""}, "Indiquez la date."),
            ({"happened_on": "2026-02-30"}, "date valide"),
            ({"kind": "tweet"}, "Choisissez l'une des options"),
            ({"text": ""}, "Décrivez ce qui s'est passé."),
            ({"link": "javascript:alert(1)"}, "http"),
            ({"text": "x" * 2001}, "2 000 caractères"),
        ],
    )
    def test_bad_follow_ups(self, client, published, staff, db, data, message):
        from advocacy.models import FollowUp

        login(client, staff)
        payload = {
            "happened_on": "2026-11-20",
            "kind": "assembly",
            "text": "Fait.",
            "link": "",
        } | data
        response = client.post(f"{published}/follow-ups", data=payload)
        assert response.status_code == 400
        assert message in page_text(response)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0

    def test_only_staff(self, client, published, representative, db):
        from advocacy.models import FollowUp

        login(client, representative)
        refused(
            client.post(
                f"{published}/follow-ups",
                data={"happened_on": "2026-11-20", "kind": "assembly", "text": "x"},
            ),
            403,
        )
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 0


def test_the_networks_directory_and_a_networks_page(
    app, client, approved, members, network, representative, create_network, db
):
    from advocacy.models import EssFamily

    create_network(name="Coopérative lointaine", family=EssFamily.COOPERATIVE)
    service.publish_statement(approved, by=members[0])
    statement = db.session.scalar(sa.select(Statement))
    service.sign_statement(statement, network=network, by=representative)
    db.session.commit()
    directory = page_text(client.get("/networks/"))
    assert network.name in directory and "Coopérative lointaine" in directory
    assert "Coopérative lointaine" not in page_text(
        client.get("/networks/?family=mutual")
    )
    assert client.get("/networks/?family=planet").status_code == 400
    page = page_text(client.get(f"/networks/{network.slug}"))
    assert page.count("Pour un emploi durable") == 2  # wrote it, and co-signed it
    assert client.get("/networks/nope").status_code == 404
    assert "Pour un emploi durable" in page_text(client.get("/"))


def test_a_second_version_goes_through_a_second_vote(
    app, approved, members, representative, network, db
):
    """Revising a statement reopens the whole loop: consultation, vote, board, publication."""
    service.publish_statement(approved, by=members[0])
    service.revise_statement(approved, by=representative)
    consultation.open_consultation(
        approved,
        closes_at=utcnow() + timedelta(days=1),
        message="",
        by=representative,
    )
    approved.consultation_closes_at = utcnow() - timedelta(seconds=1)
    (motion,) = votes.open_vote(
        approved, closes_at=utcnow() + timedelta(days=1), by=representative
    )
    votes.cast_ballot(
        motion,
        approved,
        network=network,
        choice=BallotChoice.FOR,
        by=representative,
    )
    approved.vote_closes_at = utcnow() - timedelta(seconds=1)
    closed = votes.close_vote(approved, by=representative)
    assert [m.id for m in closed] == [motion.id]  # only this round's motion
    board.submit_to_board(approved, by=representative)
    assert approved.board_round == 2
    for member in members:
        board.record_board_decision(
            approved,
            choice=BoardChoice.APPROVE,
            motivation="Toujours d'accord.",
            by=member,
        )
    version = service.publish_statement(approved, by=members[0])
    db.session.commit()
    assert version.number == 2 and len(version.decisions) == 2


def test_the_statement_list_filters(app, client, approved, members, network, db):
    from advocacy.models import Arena, Department, EssFamily, Theme

    theme = Theme(slug="emploi-durable", name_fr="Emploi durable", name_en="Jobs")
    db.session.add(theme)
    db.session.commit()
    approved.themes = [theme]
    from advocacy.models import PositionArena

    approved.arena_rows = [PositionArena(arena=Arena.NATIONAL)]
    db.session.flush()
    service.publish_statement(approved, by=members[0])
    db.session.commit()
    year = utcnow().year

    def titles(query):
        response = client.get("/statements/?" + query)
        assert response.status_code == 200, query
        return "Pour un emploi durable" in page_text(response)

    assert titles("") and titles("theme=emploi-durable") and titles("arena=national")
    assert titles(f"network={network.slug}") and titles(f"year={year}")
    # a network is typed: its slug, or part of its name, in any case
    assert titles("network=vendée") and titles("network=ESS de")
    assert not titles("network=nope")
    assert "Aucune déclaration ne correspond à ces filtres." in page_text(
        client.get("/statements/?network=nope")
    )
    assert titles(f"family={network.family.value}")
    assert titles(f"department={network.department.value}") and titles("q=emploi")
    assert not titles("arena=european") and not titles("q=vieillir")
    other_family = next(f for f in EssFamily if f is not network.family)
    assert not titles(f"family={other_family.value}")
    other_department = next(d for d in Department if d is not network.department)
    assert not titles(f"department={other_department.value}")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("theme=nope", "Thématique : Choisissez l'une des options proposées."),
        ("arena=mars", "Échelon : Choisissez l'une des options proposées."),
        ("network=" + "x" * 121, "Réseau : 120 caractères au plus."),
        ("year=1800", "Année : Choisissez l'une des options proposées."),
        ("year=abc", "Année : Choisissez l'une des options proposées."),
        ("family=x", "Famille de l'ESS : Choisissez l'une des options proposées."),
        ("q=" + "x" * 201, "Une recherche compte au plus 200 caractères."),
        ("page=0", "Le numéro de page doit être un nombre entier à partir de 1."),
        ("page=abc", "Le numéro de page doit être un nombre entier à partir de 1."),
    ],
)
def test_bad_statement_filters(client, query, message):
    refused(client.get("/statements/?" + query), 400, message)


def test_a_page_past_the_end(client):
    refused(client.get("/statements/?page=5"), 404, "Il n'y a pas de page 5")
