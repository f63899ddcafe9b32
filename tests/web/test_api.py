"""The open-data API: lists with filters and links, details, CORS, JSON errors."""

from datetime import date

import pytest

from advocacy.models import Arena, FollowUp, FollowUpKind, Signature


@pytest.fixture
def published(db, publish, create_network, themes):
    partner = create_network(name="Union régionale des Scop", slug="urscop")
    first = publish(
        "Pour un emploi durable",
        summary="Trois demandes.",
        themes=[themes[0]],
        arenas=[Arena.REGIONAL],
    )
    second = publish("Économie circulaire", arenas=[Arena.EUROPEAN], lead=partner)
    db.session.add(Signature(statement_id=first.statement_id, network_id=partner.id))
    db.session.add(
        FollowUp(
            statement_id=first.statement_id,
            happened_on=date(2026, 3, 12),
            kind=FollowUpKind.ASSEMBLY,
            text="Présentée en session plénière du conseil régional.",
            link="https://example.org/session",
        )
    )
    db.session.commit()
    return first, second


def test_the_list_newest_first_with_counts(client, published):
    response = client.get("/api/v1/statements")
    assert response.status_code == 200
    body = response.get_json()
    assert [s["title"] for s in body["data"]] == [
        "Économie circulaire",
        "Pour un emploi durable",
    ]
    first = body["data"][1]
    assert first["signatures"] == 1
    assert first["themes"] == ["emploi"] and first["arenas"] == ["regional"]
    assert first["lead_network"]["name"] == "Réseau ESS de Vendée"
    assert first["url"] == "http://localhost/statements/pour-un-emploi-durable"
    assert body["meta"] == {"page": 1, "per_page": 20, "total": 2, "pages": 1}


def test_filters_as_the_list(client, published):
    def titles(query):
        response = client.get("/api/v1/statements?" + query)
        assert response.status_code == 200, response.get_json()
        return [s["title"] for s in response.get_json()["data"]]

    assert titles("arena=european") == ["Économie circulaire"]
    assert titles("theme=emploi") == ["Pour un emploi durable"]
    assert titles("network=urscop") == ["Économie circulaire"]
    assert titles("q=economie") == ["Économie circulaire"]
    assert titles("year=2026&network=ess-85") == ["Pour un emploi durable"]


def test_pagination_links(client, published):
    body = client.get("/api/v1/statements?per_page=1&arena=").get_json()
    assert body["meta"]["pages"] == 2
    links = body["links"]
    assert links["prev"] is None
    assert (
        links["next"] == "http://localhost/api/v1/statements?per_page=1&arena=&page=2"
    )
    second = client.get(links["next"]).get_json()
    assert second["links"]["next"] is None and second["links"]["prev"]
    assert second["data"][0]["title"] == "Pour un emploi durable"


def test_one_statement_with_versions_signatories_follow_ups(client, published):
    body = client.get("/api/v1/statements/pour-un-emploi-durable").get_json()
    assert body["current_version"]["number"] == 1
    assert (
        "<h1" in body["current_version"]["body_html"]
        or "Constat" in (body["current_version"]["body_html"])
    )
    assert body["versions"][0]["pdf_url"].endswith("/pour-un-emploi-durable/v1.pdf")
    assert body["signatories"][0]["network"] == {
        "slug": "urscop",
        "name": "Union régionale des Scop",
        "family": "association",
        "department": "44",
    }
    assert body["follow_ups"] == [
        {
            "date": "2026-03-12",
            "kind": "assembly",
            "text": "Présentée en session plénière du conseil régional.",
            "link": "https://example.org/session",
        }
    ]
    version = client.get("/api/v1/statements/pour-un-emploi-durable/versions/1")
    assert version.get_json()["title"] == "Pour un emploi durable"


def test_no_private_person_appears(client, published, staff):
    for path in ("/api/v1/statements", "/api/v1/statements/pour-un-emploi-durable"):
        text = client.get(path).get_data(as_text=True)
        assert staff.display_name not in text and staff.email not in text


def test_networks(client, published):
    body = client.get("/api/v1/networks?family=association").get_json()
    assert {n["slug"] for n in body["data"]} == {"ess-85", "urscop"}
    one = client.get("/api/v1/networks/urscop").get_json()
    assert one["statements_written"] == ["economie-circulaire"]
    assert one["statements_signed"] == ["pour-un-emploi-durable"]


def test_cross_origin_reads_are_allowed(client, published):
    response = client.get(
        "/api/v1/statements", headers={"Origin": "https://data.example.org"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/statements",
        headers={
            "Origin": "https://data.example.org",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_conditional_requests(client, published):
    first = client.get("/api/v1/statements")
    again = client.get(
        "/api/v1/statements", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.data == b""  # nothing sent again: the reader keeps its copy
    assert again.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize(
    "path, status, message",
    [
        ("/api/v1/statements/nope", 404, "Aucune déclaration publiée"),
        (
            "/api/v1/statements/pour-un-emploi-durable/versions/7",
            404,
            "pas de version 7",
        ),
        ("/api/v1/statements?arena=martian", 400, "options proposées"),
        ("/api/v1/statements?theme=nope", 400, "options proposées"),
        ("/api/v1/statements?q=%21%21%21", 400, "au moins un mot"),
        ("/api/v1/statements?q=" + "x" * 10_000, 400, "au plus 200 caractères"),
        ("/api/v1/statements?page=0", 400, "nombre entier"),
        ("/api/v1/statements?page=abc", 400, "nombre entier"),
        ("/api/v1/statements?page=99", 404, "pas de page 99"),
        ("/api/v1/statements?per_page=1000", 400, "per_page"),
        ("/api/v1/statements?per_page=", 400, "per_page doit être un nombre entier"),
        ("/api/v1/networks?page=", 400, "page doit être un nombre entier"),
        ("/api/v1/networks?family=bank", 400, "options proposées"),
        ("/api/v1/networks/nope", 404, "Aucun réseau"),
        ("/api/v1/nothing-here", 404, "adresse"),
    ],
)
def test_errors_are_json_with_a_message(client, published, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert message in error["message"], error


def test_writing_is_not_allowed(client, published):
    response = client.post("/api/v1/statements", json={"title": "x"})
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405


def test_the_document_is_openapi_3_1(client, published):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://localhost/api/v1"}]
    theme = next(
        p
        for p in document["paths"]["/statements"]["get"]["parameters"]
        if p["name"] == "theme"
    )
    assert theme["schema"]["enum"] == ["", "emploi", "transition"]
