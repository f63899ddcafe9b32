"""The member workspace and coordinators inviting colleagues into their network."""

import pytest
import sqlalchemy as sa

from advocacy.models import Invitation, MembershipRole
from advocacy.services import accounts
from tests.conftest import login, page_text, read_outbox, refused


@pytest.fixture
def coordinator(create_user, network):
    return create_user(
        email="coord@example.org",
        display_name="Coordinatrice",
        coordinator_of=[network],
    )


def test_the_workspace_lists_my_networks(client, representative, network):
    login(client, representative)
    page = page_text(client.get("/workspace/"))
    assert network.name in page and "Représentant·e" in page


def test_the_workspace_offers_to_start_a_position_to_those_who_may(
    client, representative, create_user
):
    login(client, representative)
    page = page_text(client.get("/workspace/"))
    assert 'href="/positions/new">Lancer une position</a>' in page
    # a board member who represents no network may not start one: no button
    login(client, create_user(is_board=True))
    page = page_text(client.get("/workspace/"))
    assert "Mon espace" in page and "Lancer une position" not in page


def test_a_person_without_network_has_no_workspace(client, create_user):
    login(client, create_user())
    assert "Mon espace" not in refused(client.get("/workspace/"), 403)


def test_a_coordinator_invites_a_colleague(client, coordinator, network, app, db):
    login(client, coordinator)
    page = page_text(client.get(f"/workspace/networks/{network.slug}"))
    assert "Inviter un·e collègue" in page
    response = client.post(
        f"/workspace/networks/{network.slug}",
        data={"email": "colleague@example.org", "role": "representative"},
    )
    assert response.status_code == 302
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.invited_by_id == coordinator.id
    (message,) = read_outbox(app)
    assert (
        "Coordinatrice vous invite à représenter"
        in message.get_body(preferencelist=("plain",)).get_content()
    )


def test_a_representative_sees_colleagues_but_cannot_invite(
    client, representative, network, db
):
    login(client, representative)
    page = page_text(client.get(f"/workspace/networks/{network.slug}"))
    assert "Représentante" in page and "Inviter un·e collègue" not in page
    response = client.post(
        f"/workspace/networks/{network.slug}",
        data={"email": "x@example.org", "role": "representative"},
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(Invitation)) is None


def test_another_networks_page_is_refused(client, coordinator, create_network, db):
    other = create_network(name="Autre réseau")
    login(client, coordinator)
    assert client.get(f"/workspace/networks/{other.slug}").status_code == 403
    response = client.post(
        f"/workspace/networks/{other.slug}",
        data={"email": "x@example.org", "role": "representative"},
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(Invitation)) is None


def test_unknown_network(client, coordinator):
    login(client, coordinator)
    refused(client.get("/workspace/networks/nope"), 404)


def test_a_coordinator_cannot_touch_another_networks_invitation(
    client, coordinator, staff, create_network, db
):
    other = create_network(name="Autre réseau")
    invitation, _token = accounts.invite_person(
        email="z@example.org",
        network=other,
        role=MembershipRole.REPRESENTATIVE,
        by=staff,
    )
    db.session.commit()
    login(client, coordinator)
    assert (
        client.post(f"/workspace/invitations/{invitation.id}/revoke").status_code == 403
    )
    assert (
        client.post(f"/workspace/invitations/{invitation.id}/resend").status_code == 403
    )
    assert client.post("/workspace/invitations/9999/resend").status_code == 404
    assert db.session.get(Invitation, invitation.id).revoked_at is None


def test_a_coordinator_manages_their_invitations(client, coordinator, network, app, db):
    login(client, coordinator)
    client.post(
        f"/workspace/networks/{network.slug}",
        data={"email": "colleague@example.org", "role": "coordinator"},
    )
    invitation = db.session.scalar(sa.select(Invitation))
    assert (
        client.post(f"/workspace/invitations/{invitation.id}/resend").status_code == 302
    )
    assert (
        client.post(f"/workspace/invitations/{invitation.id}/revoke").status_code == 302
    )
    assert db.session.get(Invitation, invitation.id).revoked_at is not None


def test_a_revoke_sends_back_only_to_a_local_page(client, coordinator, network, db):
    login(client, coordinator)
    client.post(
        f"/workspace/networks/{network.slug}",
        data={"email": "colleague@example.org", "role": "representative"},
    )
    invitation = db.session.scalar(sa.select(Invitation))
    response = client.post(
        f"/workspace/invitations/{invitation.id}/revoke",
        data={"next": "https://evil.example.com"},
    )
    assert response.headers["Location"] == f"/workspace/networks/{network.slug}"


@pytest.mark.parametrize(
    "data,message",
    [
        (
            {"email": "", "role": "representative"},
            "Saisissez une adresse électronique.",
        ),
        (
            {"email": "x" * 300 + "@example.org", "role": "representative"},
            "254 caractères",
        ),
        (
            {"email": "ok@example.org", "role": "boss"},
            "Choisissez l'une des options proposées.",
        ),
        ({"email": "coord@example.org", "role": "representative"}, "représente déjà"),
    ],
)
def test_bad_invitations_from_a_coordinator(
    client, coordinator, network, db, app, data, message
):
    login(client, coordinator)
    response = client.post(f"/workspace/networks/{network.slug}", data=data)
    assert 400 <= response.status_code < 500
    assert message in page_text(response)
    assert db.session.scalar(sa.select(Invitation)) is None
    assert read_outbox(app) == []


def test_the_network_page_query_count_does_not_grow(
    client, coordinator, network, create_user, count_queries, staff, db
):
    login(client, coordinator)
    with count_queries() as few:
        client.get(f"/workspace/networks/{network.slug}")
    for i in range(15):
        create_user(networks=[network])
        accounts.invite_person(
            email=f"p{i}@example.org",
            network=network,
            role=MembershipRole.REPRESENTATIVE,
            by=staff,
        )
    db.session.commit()
    with count_queries() as many:
        client.get(f"/workspace/networks/{network.slug}")
    assert few.count == many.count


class TestDashboard:
    """What awaits me: my positions, consultations, ballots, board queue, news, activity."""

    @pytest.fixture
    def setup(self, app, db, create_network, create_user, walk_position):
        mine = create_network(name="Union régionale des Scop", slug="urscop")
        other = create_network(name="Mutuelle de Vendée", slug="mutuelle-85")
        me = create_user(
            email="moi@example.org", display_name="Moi", networks=[mine], is_board=True
        )
        them = create_user(
            email="eux@example.org", display_name="Eux", networks=[other]
        )
        return mine, other, me, them

    def test_each_list_shows_what_concerns_me(self, client, setup, walk_position):
        mine, other, me, them = setup
        walk_position(
            lead=other, by=them, until="consultation", title="Consultation ouverte"
        )
        walk_position(lead=mine, by=me, until="consultation", title="Ma position")
        walk_position(lead=other, by=them, until="board_review", title="Devant le CA")
        login(client, me)
        page = page_text(client.get("/workspace/"))
        for title in ("Consultation ouverte", "Ma position", "Devant le CA"):
            assert title in page
        assert "Ma position" in page.split("Positions que mes réseaux pilotent")[1]
        assert (
            "Consultation ouverte"
            not in page.split("Positions que mes réseaux pilotent")[1].split(
                "Mes dernières notifications"
            )[0]
        )
        assert (
            "Eux a ouvert la consultation sur" in page
            or "Moi a ouvert la consultation sur" in page
        )

    def test_votes_awaiting_my_ballots_per_network(
        self, app, db, client, setup, walk_position
    ):
        from datetime import timedelta

        from advocacy.models import BallotChoice, utcnow
        from advocacy.services import votes

        mine, other, me, them = setup
        position = walk_position(
            lead=other, by=them, until="consultation", title="Au vote"
        )
        position.consultation_closes_at = utcnow() - timedelta(seconds=1)
        motions = votes.open_vote(
            position, closes_at=utcnow() + timedelta(days=2), by=them
        )
        db.session.commit()
        login(client, me)
        ballots = page_text(client.get("/workspace/")).split("Votes qui attendent")[1]
        assert "Au vote" in ballots and "Pour Union régionale des Scop" in ballots
        for motion in motions:
            votes.cast_ballot(
                motion, position, network=mine, choice=BallotChoice.FOR, by=me
            )
        db.session.commit()
        ballots = page_text(client.get("/workspace/")).split("Votes qui attendent")[1]
        assert "Aucun vote n'attend" in ballots.split("</section>")[0]

    def test_the_page_costs_the_same_with_more_data(
        self, client, setup, walk_position, count_queries
    ):
        mine, other, me, them = setup
        walk_position(lead=mine, by=me, until="consultation", title="Première")
        walk_position(lead=other, by=them, until="board_review", title="Au CA")
        login(client, me)
        client.get("/workspace/")
        with count_queries() as few:
            client.get("/workspace/")
        for i in range(12):
            walk_position(lead=mine, by=me, until="consultation", title=f"Position {i}")
        walk_position(lead=other, by=them, until="board_review", title="Devant le CA")
        with count_queries() as more:
            page = client.get("/workspace/?positions_page=2&activity_page=2")
        assert page.status_code == 200
        assert more.count == few.count
        assert few.count <= 18, few.count

    @pytest.mark.parametrize(
        ("query", "status", "message"),
        [
            ("positions_page=0", 400, "doit être un nombre entier à partir de 1"),
            ("activity_page=x", 400, "doit être un nombre entier à partir de 1"),
            ("board_page=99", 404, "Il n'y a pas de page 99"),
            ("votes_page=-1", 400, "doit être un nombre entier à partir de 1"),
        ],
    )
    def test_bad_page_numbers(self, client, setup, query, status, message):
        login(client, setup[2])
        refused(client.get(f"/workspace/?{query}"), status, message)
