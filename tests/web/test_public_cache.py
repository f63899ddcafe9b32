"""The public page cache: anonymous readers served from memory, never a stale page."""

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from advocacy.demo.walk import skip_to
from advocacy.models import Signature, SiteState, utcnow
from tests.conftest import heading, login, page_text, refused


@pytest.fixture
def app_config():
    return {"PUBLIC_CACHE_ENTRIES": 100}


@pytest.fixture
def cache(app):
    return app.extensions["page_cache"]


def _generation(db):
    return db.session.scalar(sa.select(SiteState.generation))


def test_a_second_reading_is_served_from_memory(client, publish, cache, count_queries):
    publish("Pour un emploi durable")
    first = client.get("/statements/pour-un-emploi-durable")
    with count_queries() as counter:
        again = client.get("/statements/pour-un-emploi-durable")
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert counter.count == 0  # only the generation, on the cache's own connection
    assert cache.hits >= 1
    conditional = client.get(
        "/statements/pour-un-emploi-durable",
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert conditional.status_code == 304 and conditional.data == b""


def test_any_write_makes_the_pages_stale(db, client, publish, create_network):
    version = publish("Pour un emploi durable")
    signer = create_network()
    before = _generation(db)
    assert "0 réseau cosigne" in page_text(
        client.get("/statements/pour-un-emploi-durable")
    )
    db.session.add(Signature(statement_id=version.statement_id, network_id=signer.id))
    db.session.commit()
    assert _generation(db) == before + 1
    assert "1 réseau cosigne" in page_text(
        client.get("/statements/pour-un-emploi-durable")
    )


def test_a_rolled_back_write_changes_nothing(db, publish):
    publish()
    before = _generation(db)
    db.session.add(Signature(statement_id=1, network_id=1))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert _generation(db) == before


def test_languages_and_hosts_are_kept_apart(client, publish):
    publish("Pour un emploi durable")
    fr = client.get("/statements/", headers={"Accept-Language": "fr"})
    en = client.get("/statements/", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in fr.get_data(as_text=True)
    assert '<html lang="en">' in en.get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert '<html lang="en">' in client.get(
        "/statements/", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    feed = client.get("/statements.atom", base_url="https://porte-voix.example.org")
    assert b"https://porte-voix.example.org/statements/" in feed.data


def test_signed_in_people_see_their_own_page(client, publish, representative):
    publish("Pour un emploi durable")
    client.get("/statements/pour-un-emploi-durable")
    login(client, representative)
    page = page_text(client.get("/statements/pour-un-emploi-durable"))
    assert "Cosigner pour Réseau ESS de Vendée" in page


def test_errors_are_not_kept(client, publish):
    refused(client.get("/statements/nope"), 404)
    publish("Nope")
    assert heading(client.get("/statements/nope")) == "Nope"


def test_a_due_publication_goes_through(app, db, client, staff, network, publish):
    """No write happens when its moment comes: the cache must not hide it."""
    from advocacy.models import PositionState
    from advocacy.services import positions as positions_service

    publish("Premier texte")
    position = positions_service.create_position(
        title="Texte programmé",
        summary="",
        body="Texte.",
        lead=network,
        themes=[],
        arenas=[],
        by=staff,
    )
    skip_to(position, PositionState.APPROVED)
    position.publish_at = utcnow() + timedelta(seconds=1)
    db.session.commit()
    assert "Texte programmé" not in page_text(client.get("/statements/"))
    time.sleep(1.1)
    assert "Texte programmé" in page_text(client.get("/statements/"))


def test_statement_pages_say_when_they_last_changed(
    db, client, publish, create_network
):
    version = publish("Pour un emploi durable")
    page = client.get("/statements/pour-un-emploi-durable")
    modified = page.headers["Last-Modified"]
    again = client.get(
        "/statements/pour-un-emploi-durable", headers={"If-Modified-Since": modified}
    )
    assert again.status_code == 304
    assert again.data == b""  # the reader keeps the copy it has
    db.session.add(
        Signature(
            statement_id=version.statement_id,
            network_id=create_network().id,
            created_at=utcnow() + timedelta(seconds=2),
        )
    )
    db.session.commit()
    again = client.get(
        "/statements/pour-un-emploi-durable", headers={"If-Modified-Since": modified}
    )
    assert again.status_code == 200 and again.headers["Last-Modified"] != modified


def test_one_page_is_kept_per_language_however_the_browser_words_it(
    client, publish, cache, count_queries
):
    publish("Pour un emploi durable")
    client.get("/statements/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"})
    hits = cache.hits
    with count_queries() as counter:
        again = client.get("/statements/", headers={"Accept-Language": "fr"})
    assert cache.hits == hits + 1 and counter.count == 0
    assert '<html lang="fr">' in again.get_data(as_text=True)
    english = client.get("/statements/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.get_data(as_text=True)


def test_a_worker_warms_the_busiest_pages_at_its_start(
    app, client, publish, cache, count_queries
):
    publish("Pour un emploi durable")
    assert cache.warm() == len(app.config["PUBLIC_CACHE_WARM"]) * 2  # fr and en
    for language in ("fr", "en"):
        hits = cache.hits
        with count_queries() as counter:
            page = client.get("/statements/", headers={"Accept-Language": language})
        # the page was ready
        assert cache.hits == hits + 1 and counter.count == 0, language
        assert f'<html lang="{language}">' in page.get_data(as_text=True)


def test_a_thread_per_request_reuses_the_caches_connection(client, publish, cache):
    """A server may start a thread per request (the development server does):
    the generation is read on connections that outlive the threads, not on one
    new connection per thread."""
    publish("Pour un emploi durable")
    answers = []
    for _ in range(20):
        reader = threading.Thread(
            target=lambda: answers.append(client.get("/statements/").status_code)
        )
        reader.start()
        reader.join()
    assert answers == [200] * 20
    assert len(cache.stamp.idle) == 1
    cache.stamp.close()
    assert cache.stamp.idle == []
    assert client.get("/statements/").status_code == 200  # opens another
