"""Atom feeds: all statements, per arena, per theme; valid Atom; bad filters refused."""

from xml.etree import ElementTree

import pytest

from advocacy.models import Arena
from tests.conftest import page_text

ATOM = "{http://www.w3.org/2005/Atom}"


def _parse(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ElementTree.fromstring(response.data)  # noqa: S314 (our own feed)


def _titles(root):
    return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]


def test_the_feed_is_valid_atom_newest_first(client, publish, themes):
    publish("Premier texte", themes=[themes[0]])
    publish("Second texte", summary="Deux demandes.", arenas=[Arena.EUROPEAN])
    root = _parse(client.get("/statements.atom"))
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{name}")
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    assert _titles(root) == ["Second texte", "Premier texte"]
    for entry in root.iter(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "content"):
            assert entry.findtext(f"{ATOM}{name}"), name
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "Réseau ESS de Vendée"
        link = entry.find(f"{ATOM}link").get("href")  # rel=alternate, the default
        assert link.startswith("http://localhost/statements/") and link.endswith("/v1")
    first = list(root.iter(f"{ATOM}entry"))[1]
    assert first.find(f"{ATOM}category").get("term") == "emploi"
    assert "<h1" in first.findtext(f"{ATOM}content") or "Constat" in first.findtext(
        f"{ATOM}content"
    )


def test_feeds_per_arena_and_theme(client, publish, themes):
    publish("Texte emploi", themes=[themes[0]], arenas=[Arena.REGIONAL])
    publish("Texte Europe", themes=[themes[1]], arenas=[Arena.EUROPEAN])
    assert _titles(_parse(client.get("/statements.atom?arena=european"))) == [
        "Texte Europe"
    ]
    assert _titles(_parse(client.get("/statements.atom?theme=emploi"))) == [
        "Texte emploi"
    ]
    root = _parse(client.get("/statements.atom?theme=transition"))
    assert "Transition écologique" in root.findtext(f"{ATOM}title")


def test_an_empty_feed_is_still_valid(client):
    root = _parse(client.get("/statements.atom"))
    assert root.findtext(f"{ATOM}updated") and _titles(root) == []


def test_the_feed_answers_conditional_requests(client, publish):
    publish()
    first = client.get("/statements.atom")
    assert first.headers["Last-Modified"] and first.headers["ETag"]
    again = client.get(
        "/statements.atom", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_pages_point_to_their_feed(client, publish, themes):
    publish(themes=[themes[0]])
    html = client.get("/statements/?theme=emploi").get_data(as_text=True)
    assert 'href="/statements.atom?theme=emploi"' in html
    assert 'type="application/atom+xml"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("arena=martian", 400, "Échelon inconnu"),
        ("theme=nope", 404, "Il n'y a pas de thématique"),
        ("page=2", 400, "par échelon ou par thématique"),
        ("arena=" + "x" * 5000, 400, "Échelon inconnu"),
    ],
)
def test_bad_feed_filters(client, query, status, message):
    response = client.get("/statements.atom?" + query)
    assert response.status_code == status
    assert message in page_text(response)
