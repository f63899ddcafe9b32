"""Schemathesis: every answer of the API matches its OpenAPI 3.1 document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from advocacy.models import Arena, Signature


@pytest.fixture
def api_schema(app, db, publish, create_network, themes):
    """The API of an app holding statements, signatures and networks."""
    partner = create_network(name="Union régionale des Scop", slug="urscop")
    first = publish(
        "Pour un emploi durable", themes=[themes[0]], arenas=[Arena.REGIONAL]
    )
    publish("Économie circulaire", summary="Réemploi.", arenas=[Arena.EUROPEAN])
    db.session.add(Signature(statement_id=first.statement_id, network_id=partner.id))
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
OPERATIONS = [
    ("/statements", POSITIVE),
    ("/statements", NEGATIVE),
    ("/statements/{slug}", POSITIVE),  # any slug is valid: no negative case exists
    ("/statements/{slug}/versions/{number}", POSITIVE),
    ("/statements/{slug}/versions/{number}", NEGATIVE),
    ("/networks", POSITIVE),
    ("/networks", NEGATIVE),
    ("/networks/{slug}", POSITIVE),
]


@pytest.mark.parametrize(
    "path, mode", OPERATIONS, ids=[f"{p}-{m.value}" for p, m in OPERATIONS]
)
def test_the_api_matches_its_document(api_schema, path, mode):
    """Generated requests, valid and not: no 5xx, and every answer as documented."""
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,  # the same cases each run: a failure is a change, not luck
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate()

    check()


def test_the_document_lists_every_operation(api_schema):
    assert {op.ok().path for op in api_schema.get_all_operations()} == {
        "/statements",
        "/statements/{slug}",
        "/statements/{slug}/versions/{number}",
        "/networks",
        "/networks/{slug}",
    }
