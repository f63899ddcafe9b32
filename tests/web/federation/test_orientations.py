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
