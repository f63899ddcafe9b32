"""A member's pages kept in memory for that member (advocacy/cache.py): served
again only to the same session, from the same browser, while nothing changed."""

import pytest

from advocacy.services import consultation
from tests.conftest import login, page_text, sent_to_sign_in


@pytest.fixture
def app_config():
    return {"MEMBER_CACHE_ENTRIES": 50}


@pytest.fixture
def cache(app):
    return app.extensions["page_cache"]


def _member(app, user):
    """A signed-in client, past the page that shows the welcome message (which
    changes the session, so sets its cookie)."""
    client = app.test_client()
    login(client, user)
    client.get("/workspace/")
    return client


def test_a_page_read_again_is_served_from_memory(
    app, open_position, people, cache, count_queries
):
    anne = _member(app, people["anne"])
    address = f"/positions/{open_position.id}"
    first = anne.get(address)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    hits = cache.hits
    with count_queries() as counter:
        again = anne.get(address)
    assert again.data == first.data and cache.hits == hits + 1
    assert counter.count == 0  # no session, no rules, no query: the page as it was


def test_each_member_is_served_their_own_page(app, open_position, people, cache):
    address = "/workspace/"
    anne, bob = _member(app, people["anne"]), _member(app, people["bob"])
    assert "Anne" in page_text(anne.get(address))
    hits = cache.hits
    for_bob = page_text(bob.get(address))
    assert cache.hits == hits  # Bob's session is another key: his page is rendered
    assert "Bob" in for_bob and "Anne" not in for_bob
    assert "Bob" in page_text(bob.get(address)) and cache.hits == hits + 1


def test_any_write_shows_at_once(db, app, open_position, people, cache):
    anne = _member(app, people["anne"])
    address = f"/positions/{open_position.id}"
    anne.get(address)
    consultation.post_comment(
        open_position,
        body="Ajoutons les coopératives d'habitants.",
        by=people["bob"],
        network=people["partner"],
    )
    db.session.commit()
    hits = cache.hits
    assert "Ajoutons les coopératives d'habitants." in page_text(anne.get(address))
    assert cache.hits == hits


def test_a_signed_out_session_is_not_served_its_pages(app, position, people, cache):
    anne = _member(app, people["anne"])
    assert anne.get("/workspace/").status_code == 200
    stolen = anne.get_cookie("session").value
    anne.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    sent_to_sign_in(thief.get("/workspace/"))


def test_another_browser_with_the_session_goes_through_the_app(
    app, position, people, cache
):
    anne = _member(app, people["anne"])
    assert anne.get("/workspace/").status_code == 200
    other = app.test_client()
    other.set_cookie("session", anne.get_cookie("session").value)
    hits = cache.hits
    answer = other.get("/workspace/", headers={"User-Agent": "Autre navigateur"})
    assert cache.hits == hits
    # the app saw another browser: the session is no longer "fresh" (login.py)
    assert "Set-Cookie" in answer.headers


def test_a_message_shown_once_is_not_kept(db, app, open_position, people, cache):
    anne = _member(app, people["anne"])
    address = f"/positions/{open_position.id}"
    anne.get(address)
    answer = anne.post(
        f"{address}/comments",
        data={"body": "Un avis de l'Union.", "network": people["lead"].id},
        follow_redirects=True,
    )
    shown = page_text(answer)
    assert "Un avis de l'Union." in shown and "Votre commentaire a été publié." in shown
    # the confirmation was shown once, and is not served again from memory
    again = page_text(anne.get(address))
    assert (
        "Un avis de l'Union." in again
        and "Votre commentaire a été publié." not in again
    )
    assert "Votre commentaire a été publié." not in page_text(anne.get(address))


def test_a_page_older_than_its_time_is_rendered_again(app, position, people, cache):
    anne = _member(app, people["anne"])
    anne.get("/workspace/")
    cache.personal.max_age = 0
    hits = cache.hits
    assert anne.get("/workspace/").status_code == 200 and cache.hits == hits


def test_pages_not_listed_are_never_kept(app, position, people, cache):
    anne = _member(app, people["anne"])
    anne.get("/account")
    hits = cache.hits
    anne.get("/account")
    assert cache.hits == hits


def test_off_when_no_entries(app_factory, position, people):
    app = app_factory(MEMBER_CACHE_ENTRIES=0)
    anne = _member(app, people["anne"])
    anne.get("/workspace/")
    anne.get("/workspace/")
    assert app.extensions["page_cache"].hits == 0


def test_a_vote_whose_deadline_passes_is_counted_by_the_next_reader(
    app, db, walk_position, network, representative, cache
):
    """No write happens when the closing date comes: the kept page must not hide
    it, and the reader after it has the vote counted."""
    import time
    from datetime import timedelta

    from advocacy.models import Position, PositionState, utcnow
    from advocacy.services import votes

    position = walk_position(lead=network, by=representative, until="consultation")
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    votes.open_vote(position, closes_at=utcnow() + timedelta(days=1), by=representative)
    db.session.commit()
    client = _member(app, representative)
    closes = utcnow() + timedelta(seconds=2)
    position.vote_closes_at = closes
    db.session.commit()
    url = f"/positions/{position.id}"
    assert "Vote ouvert jusqu'au" in page_text(client.get(url))
    hits = cache.hits
    client.get(url)
    assert cache.hits == hits + 1  # kept, while nothing changes
    time.sleep(max(0.0, (closes - utcnow()).total_seconds()) + 0.1)
    page = page_text(client.get(url))
    assert "Le vote est clos." in page
    db.session.expire_all()
    assert db.session.get(Position, position.id).state is PositionState.CONSOLIDATION
