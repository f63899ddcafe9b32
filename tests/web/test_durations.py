"""A consultation lasts at least 7 days and a vote at least 3 (the settings'
defaults); only staff open a shorter one, with a reason the members read."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from advocacy.models import Position, PositionState, utcnow
from advocacy.services import positions as positions_service
from tests.conftest import login, page_text

BODY = "Préambule.\n\n# Constat\n\nL'emploi progresse."


@pytest.fixture
def app_config():
    return {"CONSULTATION_MIN_DAYS": 7, "VOTE_MIN_DAYS": 3}


def paris(days: float) -> str:
    moment = utcnow() + timedelta(days=days)
    return moment.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def draft(db, network, representative):
    position = positions_service.create_position(
        title="Pour des achats responsables",
        summary="",
        body=BODY,
        lead=network,
        themes=[],
        arenas=[],
        by=representative,
    )
    db.session.commit()
    return position


def open_consultation(client, position, days, **data):
    return client.post(
        f"/positions/{position.id}/consultation/open",
        data={"closes_at": paris(days), "message": "", **data},
    )


def test_the_lead_opens_a_consultation_of_seven_days_at_least(
    client, db, draft, representative
):
    login(client, representative)
    page = page_text(client.get(f"/positions/{draft.id}"))
    assert "Raison d'une durée plus courte (équipe)" not in page  # staff only
    answer = open_consultation(client, draft, 3, short_reason="Urgent.")
    assert answer.status_code == 400
    assert "Une consultation dure au moins 7 jours" in page_text(answer)
    assert db.session.get(Position, draft.id).state is PositionState.DRAFT
    assert open_consultation(client, draft, 7.5).status_code == 302
    position = db.session.get(Position, draft.id)
    assert position.state is PositionState.CONSULTATION
    assert position.consultation_short_reason == ""


def test_staff_open_a_shorter_consultation_with_a_reason_members_read(
    client, db, draft, staff, create_user, create_network
):
    login(client, staff)
    assert "Raison d'une durée plus courte (équipe)" in page_text(
        client.get(f"/positions/{draft.id}")
    )
    answer = open_consultation(client, draft, 3)
    assert answer.status_code == 400
    assert "Dites pourquoi cette consultation dure moins de 7 jours" in page_text(
        answer
    )
    answer = open_consultation(client, draft, 3, short_reason="x" * 1001)
    assert answer.status_code == 400
    assert db.session.get(Position, draft.id).state is PositionState.DRAFT
    reason = "Le Conseil régional vote le budget le 12 : il faut répondre avant."
    assert open_consultation(client, draft, 3, short_reason=reason).status_code == 302
    client.post("/logout")
    member = create_user(networks=[create_network(name="Mutuelle de Sarthe")])
    login(client, member)
    page = page_text(client.get(f"/positions/{draft.id}"))
    assert f"Consultation plus courte que d'habitude :</strong> {reason}" in page


def test_a_vote_lasts_three_days_unless_staff_say_why(
    client, db, draft, representative, staff
):
    from advocacy.services import consultation

    consultation.open_consultation(
        draft, closes_at=utcnow() + timedelta(days=8), message="", by=representative
    )
    draft.consultation_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    login(client, representative)
    url = f"/positions/{draft.id}/vote/open"
    answer = client.post(url, data={"closes_at": paris(1)})
    assert answer.status_code == 400
    assert "Un vote dure au moins 3 jours" in page_text(answer)
    assert db.session.get(Position, draft.id).state is PositionState.CONSULTATION
    client.post("/logout")
    login(client, staff)
    # staff see the extension's form and the vote's side by side, ids apart
    page = page_text(client.get(f"/positions/{draft.id}"))
    assert 'id="extend_closes_at"' in page and 'id="closes_at"' in page
    answer = client.post(url, data={"closes_at": paris(1)})
    assert answer.status_code == 400
    assert "Dites pourquoi ce vote dure moins de 3 jours" in page_text(answer)
    answer = client.post(
        url, data={"closes_at": paris(1), "short_reason": "Assemblée générale jeudi."}
    )
    assert answer.status_code == 302
    page = page_text(client.get(f"/positions/{draft.id}"))
    assert "Vote plus court que d'habitude :</strong> Assemblée générale jeudi." in page
