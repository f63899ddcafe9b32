"""Down: a national position in consultation comes to the regions that receive
the national orientations, and is declined there as a regional position whose
sections keep their national ids."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from advocacy.extensions import db
from advocacy.models import (
    AuditEvent,
    Network,
    Orientation,
    Position,
    PositionState,
    User,
    utcnow,
)
from advocacy.models.federation import Peer
from advocacy.models.networks import Department, EssFamily, NetworkKind
from advocacy.passwords import hash_password
from tests.conftest import PASSWORD, login, page_text, refused
from tests.federation import ask, peer_on, post, sent_activities

BODY = (
    "Préambule national.\n\n# Commande publique\n\nRéserver des marchés à l'ESS."
    "\n\n# Financement\n\nUn fonds national pour les PTCE."
)


def receive_orientations(region, national, client):
    """The region receives the national orientations: asked, accepted."""
    login(client, "staff@example.org")
    assert ask(client, national, purpose="receives_orientations").status_code == 302
    region.work()
    peer = peer_on(national)
    assert (
        national.client().post(f"/admin/federation/links/{peer.id}/accept").status_code
        == 302
    )
    national.work()


def open_national_consultation(
    national, title="Pour une commande publique responsable"
):
    """A national position whose consultation opens (as its lead would open it)."""
    from advocacy.services import consultation, positions

    with national.context():
        network = Network(
            name="ESS France — commission achats",
            slug="ess-france-achats",
            kind=NetworkKind.SECTOR,
            family=EssFamily.ASSOCIATION,
            department=Department.LOIRE_ATLANTIQUE,
        )
        lead = User(
            email="pilote@ess-france.example",
            display_name="Pilote national",
            password_hash=hash_password(PASSWORD),
        )
        db.session.add_all([network, lead])
        db.session.flush()
        from advocacy.models import Membership

        db.session.add(Membership(user=lead, network=network))
        position = positions.create_position(
            title=title,
            summary="Synthèse.",
            body=BODY,
            lead=network,
            themes=[],
            arenas=[],
            by=lead,
        )
        closes_at = utcnow() + timedelta(days=21)
        consultation.open_consultation(
            position, closes_at=closes_at, message="", by=lead
        )
        db.session.commit()
        return position.id, [s["id"] for s in position.current_revision.sections]


def test_a_national_consultation_comes_down_and_is_declined_in_the_region(
    region, national, client, representative, network
):
    receive_orientations(region, national, client)
    national_id, section_ids = open_national_consultation(national)
    national.work()
    assert sent_activities(national)[-1] == ("Offer", "sent")

    kept = db.session.scalar(sa.select(Orientation))
    assert kept.title == "Pour une commande publique responsable"
    assert [s["id"] for s in kept.sections] == section_ids
    assert kept.remote_id == f"{national.url}/positions/{national_id}"
    assert kept.closes_at > utcnow() + timedelta(days=20)

    client.post("/logout")
    login(client, representative)
    listing = page_text(client.get("/workspace/orientations/"))
    assert "Pour une commande publique responsable" in listing
    assert "Envoyée par ESS France" in listing
    page = page_text(client.get(f"/workspace/orientations/{kept.id}"))
    assert "Consultation nationale ouverte jusqu'au" in page
    assert "Réserver des marchés à l'ESS." in page

    answer = client.post(
        f"/workspace/orientations/{kept.id}/import", data={"lead": network.id}
    )
    assert answer.status_code == 302
    position = db.session.scalar(sa.select(Position))
    assert position.orientation_id == kept.id
    assert position.state is PositionState.DRAFT
    assert position.lead_network_id == network.id
    # the same sections, with their national ids
    assert [s["id"] for s in position.current_revision.sections] == section_ids
    shown = page_text(client.get(answer.headers["Location"]))
    assert "Déclinaison régionale d'une position nationale (ESS France)" in shown
    event = db.session.scalar(
        sa.select(AuditEvent).filter_by(action="position.orientation_import")
    )
    assert event.payload["installation"] == "ESS France"

    # declined once: the page says where, and a second import is refused
    page = page_text(client.get(f"/workspace/orientations/{kept.id}"))
    assert "Déclinée dans la région :" in page
    refused(
        client.post(
            f"/workspace/orientations/{kept.id}/import", data={"lead": network.id}
        ),
        409,
        "Cette orientation est déjà déclinée",
    )
    assert db.session.scalar(sa.select(sa.func.count(Position.id))) == 1


def test_an_extended_national_consultation_updates_the_date_in_the_region(
    region, national, client
):
    from advocacy.services import consultation

    receive_orientations(region, national, client)
    national_id, _ids = open_national_consultation(national)
    national.work()
    with national.context():
        position = db.session.get(Position, national_id)
        later = position.consultation_closes_at + timedelta(days=7)
        consultation.extend_consultation(
            position, closes_at=later, by=db.session.scalar(sa.select(User))
        )
    national.work()
    kept = db.session.scalar(sa.select(Orientation))
    db.session.refresh(kept)
    assert abs((kept.closes_at - later).total_seconds()) < 1
    assert db.session.scalar(sa.select(sa.func.count(Orientation.id))) == 1


def test_without_a_link_for_orientations_nothing_comes_down(region, national, client):
    # the region contributes to the national level, but does not take orientations
    login(client, "staff@example.org")
    assert ask(client, national).status_code == 302
    region.work()
    peer = peer_on(national)
    national.client().post(f"/admin/federation/links/{peer.id}/accept")
    national.work()
    open_national_consultation(national)
    national.work()
    assert "Offer" not in [kind for kind, _status in sent_activities(national)]
    assert db.session.scalar(sa.select(sa.func.count(Orientation.id))) == 0


def offer(national, **changes):
    article = {
        "type": "Article",
        "id": f"{national.url}/positions/7",
        "name": "Une orientation",
        "summary": "",
        "content": "<p>Texte</p>",
        "endTime": (utcnow() + timedelta(days=10)).isoformat(),
        "sections": [{"id": "s-1a2b3c4d", "title": "Texte", "text": "Texte"}],
    }
    article.update(changes)
    return {
        "id": f"{national.url}/federation/activities/offer-{len(str(changes))}",
        "type": "Offer",
        "actor": f"{national.url}/federation/actor",
        "object": article,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"type": "Note"},
        {"sections": []},
        {"sections": "s-1"},
        {"sections": [{"id": "s-" + "x" * 40, "text": "Texte"}]},
        {"sections": [{"id": "s-1", "text": 3}]},
        {"endTime": "demain"},
        {"endTime": "2027-01-01T10:00:00"},  # no time zone
        {"name": "x" * 301},
        {"id": "https://elsewhere.example/positions/7"},
        {"sections": [{"id": "s-1", "text": "x" * 200_001}]},
    ],
)
def test_a_malformed_orientation_is_refused_and_nothing_kept(
    region, national, client, changes
):
    receive_orientations(region, national, client)
    answer = post(national, region, offer(national, **changes))
    assert answer.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Orientation.id))) == 0


def test_an_orientation_over_a_link_for_contributions_is_refused(
    region, national, client
):
    login(client, "staff@example.org")
    assert ask(client, national).status_code == 302  # contributes to
    region.work()
    peer = peer_on(national)
    national.client().post(f"/admin/federation/links/{peer.id}/accept")
    national.work()
    answer = post(national, region, offer(national))
    assert answer.status_code == 400
    assert "Ce lien ne transporte pas d'orientations." in answer.text
    assert db.session.scalar(sa.select(sa.func.count(Orientation.id))) == 0


@pytest.fixture
def kept(region, national, client):
    receive_orientations(region, national, client)
    assert post(national, region, offer(national)).status_code == 202
    client.post("/logout")
    return db.session.scalar(sa.select(Orientation))


@pytest.mark.parametrize("lead", ["", "abc", "99999", "1" * 30])
def test_an_import_for_a_network_that_is_not_mine_is_refused(
    kept, client, representative, create_network, lead
):
    login(client, representative)
    other = create_network(name="Réseau d'un autre")
    for value in (lead, str(other.id)):
        answer = client.post(
            f"/workspace/orientations/{kept.id}/import", data={"lead": value}
        )
        assert answer.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Position.id))) == 0


def test_who_may_import_an_orientation(kept, client, create_user, network, staff):
    answer = client.get(f"/workspace/orientations/{kept.id}")
    assert answer.status_code == 302  # to sign in
    nobody = create_user(email="sans-reseau@example.org")
    login(client, nobody)
    page = page_text(client.get(f"/workspace/orientations/{kept.id}"))
    assert "Importer comme position régionale" not in page
    refused(
        client.post(
            f"/workspace/orientations/{kept.id}/import", data={"lead": network.id}
        ),
        403,
    )
    client.post("/logout")
    # staff choose any active network to lead it
    login(client, staff)
    answer = client.post(
        f"/workspace/orientations/{kept.id}/import", data={"lead": network.id}
    )
    assert answer.status_code == 302
    refused(client.get("/workspace/orientations/99999"), 404)
    refused(client.get("/workspace/orientations/abc"), 404)


# --- up again: what the region adopts goes to the national position ----------------


def declined(client, representative, network):
    """The orientation received, imported as a regional position."""
    kept = db.session.scalar(sa.select(Orientation))
    client.post("/logout")
    login(client, representative)
    answer = client.post(
        f"/workspace/orientations/{kept.id}/import", data={"lead": network.id}
    )
    assert answer.status_code == 302
    return db.session.scalar(sa.select(Position))


def adopt_and_approve(position, representative, network, board_members):
    """The region amends the section "Commande publique", votes it in, and its
    board approves the text."""
    from advocacy.models import AmendmentKind, BallotChoice, BoardChoice
    from advocacy.services import amendments, board, consolidation, consultation, votes

    consultation.open_consultation(
        position, closes_at=utcnow() + timedelta(days=7), message="", by=representative
    )
    section = position.current_revision.sections[1]["id"]
    amendment, _new = amendments.file_amendment(
        position,
        section_id=section,
        kind=AmendmentKind.REPLACE,
        proposed="# Commande publique\n\nRéserver 25 % des marchés à l'ESS.",
        rationale="Plus ambitieux, comme le demandent les réseaux ligériens.",
        network=network,
        by=representative,
        form_token=amendments.new_form_token(),
    )
    amendments.decide_amendment(
        amendment, position, decision="to_vote", reason="", by=representative
    )
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    for motion in votes.open_vote(
        position, closes_at=utcnow() + timedelta(days=1), by=representative
    ):
        votes.cast_ballot(
            motion,
            position,
            network=network,
            choice=BallotChoice.FOR,
            by=representative,
        )
    position.vote_closes_at = utcnow() - timedelta(seconds=1)
    votes.close_vote(position, by=representative)
    consolidation.apply_amendments(position, by=representative)
    board.submit_to_board(position, by=representative)
    for member in board_members[:2]:
        board.record_board_decision(
            position,
            choice=BoardChoice.APPROVE,
            motivation="Conforme à notre plan stratégique.",
            by=member,
        )
    db.session.commit()
    return section


def amended_in_the_region(region, national, client, representative, network, board):
    """The region receives a national consultation, declines it, amends the
    section "Commande publique" and approves it (not yet sent up): the national
    position's id and section ids, the regional position, the section amended."""
    receive_orientations(region, national, client)
    national_id, section_ids = open_national_consultation(national)
    national.work()
    position = declined(client, representative, network)
    section = adopt_and_approve(position, representative, network, board)
    return national_id, section_ids, position, section


def test_what_the_region_adopts_goes_up_to_the_national_position_section_by_section(
    region, national, client, representative, network, board_members
):
    national_id, section_ids, position, section = amended_in_the_region(
        region, national, client, representative, network, board_members
    )
    assert section == section_ids[1]  # the national id, kept
    assert position.state is PositionState.APPROVED
    region.work()
    assert sent_activities(region)[-1] == ("Add", "sent")

    with national.context():
        from advocacy.models import RegionalAmendment, RegionalSubmission

        submission = db.session.scalar(sa.select(RegionalSubmission))
        assert submission.position_id == national_id
        assert submission.board["motivations"] == ["Conforme à notre plan stratégique."]
        kept = db.session.scalar(sa.select(RegionalAmendment))
        assert (kept.section_id, kept.kind, kept.status) == (
            section,
            "replace",
            "adopted",
        )
        assert kept.network == "Réseau ESS de Vendée"
        assert kept.vote["for"] == 1 and kept.vote["families"] == {
            "association": {"for": 1, "against": 0, "abstain": 0}
        }
        assert list(kept.vote["departments"]) == ["44"]

    # the national members see it on the national position, under its section
    member = national.client()
    page = page_text(member.get(f"/positions/{national_id}/contributions"))
    assert "Ce que les régions ont adopté, section par section" in page
    assert "CRESS Pays de la Loire" in page
    assert "adopté — pour : 1, contre : 0, abstentions : 0" in page
    assert "Réserver 25 % des marchés à l'ESS." in page
    assert "Conforme à notre plan stratégique." in page

    # the region sees that it went
    client.post("/logout")
    login(client, "staff@example.org")
    orientation = db.session.scalar(sa.select(Orientation))
    page = page_text(client.get(f"/workspace/orientations/{orientation.id}"))
    assert "Ce que la région a adopté a été envoyé" in page and "envoyé." in page

    # sent again by hand: it replaces what the national side kept
    assert (
        client.post(f"/workspace/orientations/{orientation.id}/send").status_code == 302
    )
    region.work()
    with national.context():
        assert db.session.scalar(sa.select(sa.func.count(RegionalAmendment.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(RegionalSubmission.id))) == 1


def test_what_arrives_after_the_national_closing_date_is_refused_with_the_reason(
    region, national, client, representative, network, board_members
):
    national_id, *_rest = amended_in_the_region(
        region, national, client, representative, network, board_members
    )
    with national.context():
        db.session.get(Position, national_id).consultation_closes_at = (
            utcnow() - timedelta(minutes=1)
        )
    report = region.work()
    assert report.given_up == 1
    with national.context():
        from advocacy.models import RegionalSubmission

        assert db.session.scalar(sa.select(sa.func.count(RegionalSubmission.id))) == 0
    client.post("/logout")
    login(client, "staff@example.org")
    orientation = db.session.scalar(sa.select(Orientation))
    page = page_text(client.get(f"/workspace/orientations/{orientation.id}"))
    assert "non remis" in page
    assert "les amendements de la région sont arrivés trop tard" in page


def test_only_staff_send_again_and_only_an_approved_declination(
    region, national, client, representative, network
):
    receive_orientations(region, national, client)
    open_national_consultation(national)
    national.work()
    declined(client, representative, network)
    orientation = db.session.scalar(sa.select(Orientation))
    refused(client.post(f"/workspace/orientations/{orientation.id}/send"), 403)
    client.post("/logout")
    login(client, "staff@example.org")
    refused(
        client.post(f"/workspace/orientations/{orientation.id}/send"),
        409,
        "Ce que la région a adopté remonte une fois que le bureau l'a approuvé.",
    )
    refused(client.post("/workspace/orientations/99999/send"), 404)


def test_two_regions_amend_the_same_national_position_and_both_show_per_section(
    region, national, second_region, client, representative, network, board_members
):
    from advocacy.federation.orientations import import_orientation

    receive_orientations(region, national, client)
    # the second region links the same way
    assert (
        ask(second_region.client(), national, "receives_orientations").status_code
        == 302
    )
    second_region.work()
    with national.context():
        peer = db.session.scalar(sa.select(Peer).filter_by(name="CRESS Bretagne"))
        peer_id = peer.id
    assert (
        national.client().post(f"/admin/federation/links/{peer_id}/accept").status_code
        == 302
    )
    national.work()

    national_id, section_ids = open_national_consultation(national)
    national.work()
    assert sent_activities(national)[-2:] == [("Offer", "sent"), ("Offer", "sent")]

    position = declined(client, representative, network)
    adopt_and_approve(position, representative, network, board_members)
    with second_region.context():
        breton = Network(
            name="URSCOP Bretagne",
            slug="urscop-bretagne",
            kind=NetworkKind.SECTOR,
            family=EssFamily.COOPERATIVE,
            department=Department.LOIRE_ATLANTIQUE,
        )
        people = [
            User(
                email=f"{who}@cress-bretagne.example",
                display_name=who,
                password_hash=hash_password(PASSWORD),
                is_board=who != "rep",
            )
            for who in ("rep", "ca1", "ca2")
        ]
        db.session.add_all([breton, *people])
        db.session.flush()
        from advocacy.models import Membership

        db.session.add(Membership(user=people[0], network=breton))
        db.session.flush()
        orientation = db.session.scalar(sa.select(Orientation))
        theirs = import_orientation(orientation, lead=breton, by=people[0])
        section = adopt_and_approve(theirs, people[0], breton, people[1:])
        assert section == section_ids[1]
    region.work()
    second_region.work()

    page = page_text(national.client().get(f"/positions/{national_id}/contributions"))
    assert "2 amendements adoptés dans les régions" in page
    under = page.split("Commande publique</a></h3>")[1].split("</ul>")[0]
    assert "CRESS Pays de la Loire" in under and "CRESS Bretagne" in under
    assert "URSCOP Bretagne" in under and "Coopérative" in under


def test_the_national_lead_files_a_regions_adopted_amendment_in_its_name(
    region, national, client, representative, network, board_members
):
    national_id, section_ids, *_rest = amended_in_the_region(
        region, national, client, representative, network, board_members
    )
    region.work()
    with national.context():
        from advocacy.models import RegionalAmendment

        kept_id = db.session.scalar(sa.select(RegionalAmendment.id))

    lead = national.app.test_client()
    with national.context():
        login(lead, "pilote@ess-france.example")
    page = page_text(lead.get(f"/positions/{national_id}/contributions"))
    assert "Déposer en amendement au nom de CRESS Pays de la Loire" in page
    # the form opens on the region's section, with its wording and its vote
    form = page_text(
        lead.get(f"/positions/{national_id}/amendments/new?region=r{kept_id}")
    )
    assert "Déposé au nom de CRESS Pays de la Loire" in form
    assert "Réserver 25 % des marchés à l'ESS." in form
    assert "Adopté par CRESS Pays de la Loire (son amendement 1" in form
    token = form.split('name="form_token" type="hidden" value="')[1].split('"')[0]
    answer = lead.post(
        f"/positions/{national_id}/amendments/new",
        data={
            "section": section_ids[1],
            "region": f"r{kept_id}",
            "kind": "replace",
            "proposed": "# Commande publique\n\nRéserver 25 % des marchés à l'ESS.",
            "rationale": "Adopté par la région.",
            "form_token": token,
            "action": "file",
        },
    )
    assert answer.status_code == 302, page_text(answer)[:2000]
    with national.context():
        from advocacy.models import Amendment

        filed = db.session.scalar(sa.select(Amendment))
        assert (filed.on_behalf_of, filed.regional_amendment_id) == (
            "CRESS Pays de la Loire",
            kept_id,
        )
        assert filed.section_id == section_ids[1]
    page = page_text(lead.get(f"/positions/{national_id}/contributions"))
    assert "Déposé ici comme amendement 1" in page
    listing = page_text(lead.get(f"/positions/{national_id}/amendments/"))
    assert "au nom de CRESS Pays de la Loire" in listing

    # a regional amendment of another position, or none, is refused
    for key in ("r99999", "rabc", "r"):
        refused(lead.get(f"/positions/{national_id}/amendments/new?region={key}"), 400)
