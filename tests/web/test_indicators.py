"""Public indicators: charts with data tables, CSV downloads, constant queries."""

import csv
import io
from datetime import timedelta

import pytest

from advocacy.models import Arena, Position, Signature, Statement
from tests.conftest import page_text


@pytest.fixture
def published(db, publish, themes, create_network):
    scop = create_network(
        name="Union régionale des Scop", slug="urscop", family="cooperative"
    )
    versions = [
        publish("Emploi", themes=[themes[0]], arenas=[Arena.REGIONAL]),
        publish("Europe", themes=[themes[0], themes[1]], arenas=[Arena.EUROPEAN]),
        publish("Transition", themes=[themes[1]], arenas=[Arena.REGIONAL]),
    ]
    db.session.add(Signature(statement_id=versions[0].statement_id, network_id=scop.id))
    # positions started 10, 20 and 40 days before their publication
    for version, days in zip(versions, (10, 20, 40), strict=True):
        statement = db.session.get(Statement, version.statement_id)
        position = db.session.get(Position, statement.position_id)
        position.created_at = version.published_at - timedelta(days=days)
    db.session.commit()
    return versions


def _csv(client, name):
    response = client.get(f"/indicators/{name}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    )


def test_the_page_draws_each_indicator_with_its_table(client, published):
    response = client.get("/indicators")
    assert response.status_code == 200
    html = page_text(response)
    for title in (
        "Déclarations par thématique",
        "Déclarations par échelon",
        "Réseaux participants, par famille de l'ESS",
        "Réseaux participants, par département",
    ):
        assert title in html
    assert html.count("<svg") == 6 and html.count("<table") == 6
    assert 'href="/indicators/themes.csv"' in html


def test_the_figures(client, published):
    assert _csv(client, "themes") == [
        ["Thématique", "Déclarations"],
        ["Emploi", "2"],
        ["Transition écologique", "2"],
    ]
    arenas = dict(_csv(client, "arenas")[1:])
    assert arenas["Régional"] == "2" and arenas["Européen"] == "1"
    assert _csv(client, "years")[1:] == [[str(published[0].published_at.year), "3"]]
    assert _csv(client, "delays")[1:] == [[str(published[0].published_at.year), "20.0"]]
    families = dict(_csv(client, "families")[1:])
    assert families["Coopérative"] == "1" and families["Association"] == "1"


def test_an_empty_platform_still_answers(client):
    assert client.get("/indicators").status_code == 200
    assert _csv(client, "delays") == [["Année", "Jours (médiane)"]]


def test_unknown_indicator(client):
    response = client.get("/indicators/salaries.csv")
    assert response.status_code == 404
    assert "Il n'y a pas d'indicateur" in page_text(response)


def test_queries_do_not_grow_with_the_data(client, publish, published, count_queries):
    client.get("/indicators")
    with count_queries() as few:
        client.get("/indicators")
    for i in range(5):
        publish(f"Texte {i}", arenas=[Arena.NATIONAL])
    with count_queries() as more:
        client.get("/indicators")
    assert few.count == more.count
