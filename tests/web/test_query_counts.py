"""Every public page makes as many queries with ten times the data: none grows."""

from datetime import date

import pytest

from advocacy.models import Arena, FollowUp, FollowUpKind, Signature

FIRST = "pour-un-emploi-durable"
PAGES = [
    "/",
    "/statements/",
    "/statements/?arena=regional&theme=emploi",
    "/statements/?q=emploi",
    f"/statements/{FIRST}",
    f"/statements/{FIRST}/v1",
    f"/statements/{FIRST}/compare?from=1&to=1",
    f"/statements/{FIRST}.pdf",
    "/statements.atom",
    "/statements.atom?theme=emploi",
    "/search?q=emploi",
    "/networks/",
    "/networks/ess-85",
    "/indicators",
    "/indicators/themes.csv",
    "/about",
    "/accessibility",
    "/legal",
    "/api/v1/statements",
    "/api/v1/statements?q=emploi&arena=regional",
    f"/api/v1/statements/{FIRST}",
    f"/api/v1/statements/{FIRST}/versions/1",
    "/api/v1/networks",
    "/api/v1/networks/ess-85",
    "/api/v1/openapi.json",
]


@pytest.fixture
def grow(db, publish, create_network, themes):
    """Add ``n`` statements, each co-signed and followed up; the first gets it all."""
    made = {"n": 0}

    def add(n):
        for _ in range(n):
            made["n"] += 1
            i = made["n"]
            title = "Pour un emploi durable" if i == 1 else f"Emploi et territoires {i}"
            version = publish(
                title,
                f"# Constat\n\nL'emploi progresse ({i}).",
                themes=[themes[i % 2]],
                arenas=[Arena.REGIONAL, Arena.EUROPEAN][: 1 + i % 2],
            )
            for target in {version.statement_id, 1}:
                signer = create_network(name=f"Réseau signataire {i}-{target}")
                db.session.add(Signature(statement_id=target, network_id=signer.id))
                db.session.add(
                    FollowUp(
                        statement_id=target,
                        happened_on=date(2026, 1, 1 + i % 27),
                        kind=FollowUpKind.SENT,
                        text="Adressée au Conseil régional.",
                    )
                )
        db.session.commit()

    return add


def test_no_public_page_grows_with_the_data(client, grow, count_queries):
    grow(2)
    small = {}
    for path in PAGES:
        assert client.get(path).status_code == 200, path
        with count_queries() as counter:
            client.get(path)
        small[path] = counter.count
    grow(20)
    grown = {}
    for path in PAGES:
        # the first reading after a change may fill a cache (a PDF laid out anew)
        assert client.get(path).status_code == 200, path
        with count_queries() as counter:
            client.get(path)
        grown[path] = counter.count
    assert grown == small
    # and each stays modest
    assert max(small.values()) <= 12, small


def test_list_pages_do_not_grow_with_the_archive(client, publish, create_network):
    """A page of a list weighs the same with 30 more statements by 30 more networks:
    no filter lists every network that ever wrote."""
    made = {"n": 0}

    def add(n):
        for _ in range(n):
            made["n"] += 1
            i = made["n"]
            lead = create_network(name=f"Réseau rédacteur {i:03d}")
            publish(f"Déclaration pour l'emploi {i:03d}", lead=lead)

    lists = ["/statements/", "/api/v1/statements", "/search?q=emploi", "/networks/"]
    add(30)  # more than a page of each
    small = {path: len(client.get(path).data) for path in lists}
    add(30)
    grown = {path: len(client.get(path).data) for path in lists}
    for path in lists:
        assert abs(grown[path] - small[path]) < 400, (path, small[path], grown[path])
