"""Calendar feeds: a member's private, revocable feed of the deadlines that
concern them, and the public feed of scheduled publications."""

import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from advocacy.demo.walk import skip_to
from advocacy.models import PositionState, utcnow
from advocacy.services import consultation, votes
from advocacy.services import positions as positions_service
from tests.conftest import login, page_text, refused


def events(response) -> dict[str, str]:
    """The feed's events: summary → url."""
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.data)
    return {str(e["summary"]): str(e.get("url", "")) for e in calendar.walk("VEVENT")}


def feed_address(client) -> str:
    page = page_text(client.get("/account"))
    return re.search(r'value="(http://localhost/calendar/[^"]+\.ics)"', page).group(1)


def draft(network, by, title):
    return positions_service.create_position(
        title=title,
        summary="",
        body="Texte.",
        lead=network,
        themes=[],
        arenas=[],
        by=by,
    )


@pytest.fixture
def deadlines(db, network, representative, staff):
    """A consultation open, a vote open, a text before the board."""
    open_ = draft(network, representative, "Pour une commande publique responsable")
    consultation.open_consultation(
        open_, closes_at=utcnow() + timedelta(days=10), message="", by=representative
    )
    voting = draft(network, representative, "Pour des tiers-lieux solidaires")
    consultation.open_consultation(
        voting, closes_at=utcnow() + timedelta(days=8), message="", by=representative
    )
    voting.consultation_closes_at = utcnow() - timedelta(seconds=1)
    votes.open_vote(voting, closes_at=utcnow() + timedelta(days=4), by=representative)
    reviewed = draft(network, representative, "Pour un emploi durable")
    skip_to(reviewed, PositionState.BOARD_REVIEW)
    reviewed.submitted_at = utcnow()
    db.session.commit()
    return open_, voting, reviewed


def test_a_member_subscribes_to_the_deadlines_of_their_networks(
    client, db, deadlines, representative
):
    login(client, representative)
    address = feed_address(client)
    client.post("/logout")  # a calendar application has no session
    found = events(client.get(address.removeprefix("http://localhost")))
    assert (
        "Clôture de la consultation : Pour une commande publique responsable" in found
    )
    assert "Clôture du vote : Pour des tiers-lieux solidaires" in found
    assert not any("Devant le CA" in s for s in found)  # not on the board
    assert found["Clôture du vote : Pour des tiers-lieux solidaires"].endswith(
        f"/positions/{deadlines[1].id}/vote"
    )


def test_a_board_member_also_sees_the_texts_before_the_board(
    client, db, deadlines, board_members
):
    login(client, board_members[0])
    address = feed_address(client).removeprefix("http://localhost")
    found = events(client.get(address))
    assert "Devant le CA : Pour un emploi durable" in found
    # a board member represents no network: no vote of theirs closes
    assert not any(s.startswith("Clôture du vote") for s in found)


def test_a_renewed_address_stops_the_old_one(client, db, deadlines, representative):
    login(client, representative)
    old = feed_address(client).removeprefix("http://localhost")
    answer = client.post("/account/calendar")
    assert answer.status_code == 302
    new = feed_address(client).removeprefix("http://localhost")
    assert new != old
    refused(client.get(old), 404, "Cette adresse d'agenda est inconnue")
    assert events(client.get(new))


@pytest.mark.parametrize(
    "token", ["abc", "W1sxLDBd", "x" * 300, "WzEsMF0.forged-signature", "%00"]
)
def test_an_address_not_made_here_answers_404(client, deadlines, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_deactivated_member_s_feed_stops(client, db, deadlines, representative):
    login(client, representative)
    address = feed_address(client).removeprefix("http://localhost")
    representative.is_active = False
    db.session.commit()
    client.post("/logout")
    assert client.get(address).status_code == 404


def test_the_public_feed_lists_the_scheduled_publications(client, db, network, staff):
    scheduled = draft(network, staff, "Pour une alimentation durable")
    skip_to(scheduled, PositionState.APPROVED)
    scheduled.publish_at = utcnow() + timedelta(days=2)
    waiting = draft(network, staff, "Texte encore en rédaction")
    db.session.commit()
    found = events(client.get("/statements/calendar.ics"))
    assert list(found) == ["Publication : Pour une alimentation durable"]
    assert waiting.title not in str(found)
