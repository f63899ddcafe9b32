"""A national position in consultation works with the regions' contributions:
attached by staff or the lead, quoted in comments, filed as amendments in the
region's name. (How a contribution arrives: test_links_and_contributions.py.)"""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from advocacy.models import (
    Amendment,
    AuditEvent,
    Comment,
    Contribution,
    ContributionVersion,
    PositionContribution,
    utcnow,
)
from advocacy.models.federation import LinkPurpose, LinkState, Peer
from tests.conftest import login, page_text, refused

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)
REGION_TEXT = (
    "## Achats responsables\n\n"
    "Les collectivités réservent 10 % de leurs marchés aux entreprises de l'ESS."
)


@pytest.fixture
def position(walk_position, representative, network):
    """A national position in consultation, led by the representative's network."""
    return walk_position(
        lead=network, by=representative, until="consultation", body=BODY, days=14
    )


def received(
    db, title="Pour une commande publique responsable", chamber="CRESS Bretagne"
):
    """A contribution a region sent, as the inbox keeps it."""
    host = chamber.lower().replace(" ", "-")
    peer = Peer(
        actor_url=f"https://{host}.example/federation/actor",
        name=chamber,
        inbox_url=f"https://{host}.example/federation/inbox",
        key_id=f"https://{host}.example/federation/actor#key",
        public_pem="-",
        purpose=LinkPurpose.RECEIVES_CONTRIBUTIONS,
        state=LinkState.ACTIVE,
        follow_id=f"https://{host}.example/federation/activities/1",
    )
    db.session.add(peer)
    db.session.flush()
    contribution = Contribution(
        peer_id=peer.id,
        remote_id=f"https://{host}.example/statements/commande-publique",
        title=title,
        number=1,
    )
    db.session.add(contribution)
    db.session.flush()
    db.session.add(
        ContributionVersion(
            contribution_id=contribution.id,
            number=1,
            title=title,
            body_html="<p>…</p>",
            sections=[
                {
                    "id": "s-achats",
                    "title": "Achats responsables",
                    "network": "URSCOP Bretagne",
                    "amendment": None,
                    "text": REGION_TEXT,
                },
                {"id": "s-old", "title": "Sans texte", "network": None},
            ],
            url=f"https://{host}.example/statements/commande-publique/v1",
            published_at=datetime(2026, 11, 20, tzinfo=UTC),
        )
    )
    db.session.commit()
    return contribution


def attach(client, position, contribution):
    return client.post(
        f"/positions/{position.id}/contributions",
        data={"contribution": contribution.id},
    )


def test_the_lead_attaches_a_contribution_and_members_read_it_section_by_section(
    client, db, position, representative
):
    contribution = received(db)
    login(client, representative)
    page = page_text(client.get(f"/positions/{position.id}/contributions"))
    assert "Aucune contribution n'est encore attachée" in page
    assert "Pour une commande publique responsable (CRESS Bretagne)" in page

    assert attach(client, position, contribution).status_code == 302
    page = page_text(client.get(f"/positions/{position.id}/contributions"))
    assert "Contribution de CRESS Bretagne" in page
    assert "Les collectivités réservent 10 % de leurs marchés" in page
    assert "Rédigé par URSCOP Bretagne" in page
    assert "Citer dans un commentaire" in page
    assert "Déposer en amendement au nom de CRESS Bretagne" in page
    # attached once, however often it is asked
    assert attach(client, position, contribution).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(PositionContribution.id))) == 1
    event = db.session.scalar(
        sa.select(AuditEvent).filter_by(action="position.contribution_attach")
    )
    assert event.payload["installation"] == "CRESS Bretagne"


def test_only_staff_and_the_lead_attach_and_only_while_the_consultation_is_open(
    client, db, position, create_user, create_network, staff
):
    contribution = received(db)
    member = create_user(
        email="membre@example.org", networks=[create_network(name="Mutuelle de Sarthe")]
    )
    login(client, member)
    page = page_text(client.get(f"/positions/{position.id}/contributions"))
    assert "Attacher une contribution" not in page
    refused(attach(client, position, contribution), 403)
    client.post("/logout")

    login(client, staff)
    assert attach(client, position, contribution).status_code == 302
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    other = received(db, title="Une autre", chamber="CRESS Occitanie")
    refused(
        attach(client, position, other),
        409,
        "Les contributions s'attachent pendant que la consultation est ouverte.",
    )
    refused(
        client.post(f"/positions/{position.id}/contributions/{contribution.id}/detach"),
        409,
    )
    assert db.session.scalar(sa.select(sa.func.count(PositionContribution.id))) == 1


@pytest.mark.parametrize("value", ["", "abc", "99999", "1" * 40])
def test_attaching_something_that_is_not_a_contribution_received_is_refused(
    client, db, position, representative, value
):
    received(db)
    login(client, representative)
    response = client.post(
        f"/positions/{position.id}/contributions", data={"contribution": value}
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(PositionContribution.id))) == 0


def test_a_contribution_is_taken_off_and_what_quoted_it_stays(
    client, db, position, representative
):
    contribution = received(db)
    login(client, representative)
    attach(client, position, contribution)
    client.post(
        f"/positions/{position.id}/contributions/quote",
        data={
            "cite": f"{contribution.id}:s-achats",
            "body": "D'accord.",
            "section": "",
        },
    )
    response = client.post(
        f"/positions/{position.id}/contributions/{contribution.id}/detach"
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(PositionContribution.id))) == 0
    assert (
        db.session.scalar(sa.select(Comment)).cited_contribution_id == contribution.id
    )
    refused(
        client.post(f"/positions/{position.id}/contributions/{contribution.id}/detach"),
        404,
    )
    refused(client.post(f"/positions/{position.id}/contributions/99999/detach"), 404)


def test_a_member_quotes_a_section_of_the_contribution_in_a_comment(
    client, db, position, representative
):
    contribution = received(db)
    login(client, representative)
    attach(client, position, contribution)
    key = f"{contribution.id}:s-achats"
    form = page_text(
        client.get(f"/positions/{position.id}/contributions/quote?cite={key}")
    )
    assert "Les collectivités réservent 10 %" in form
    constat = position.current_revision.sections[1]["id"]
    response = client.post(
        f"/positions/{position.id}/contributions/quote",
        data={"cite": key, "body": "Reprenons ce seuil.", "section": constat},
    )
    assert response.status_code == 302
    comment = db.session.scalar(sa.select(Comment))
    assert (comment.cited_contribution_id, comment.cited_section_id) == (
        contribution.id,
        "s-achats",
    )
    assert comment.section_id == constat
    page = page_text(client.get(f"/positions/{position.id}?section={constat}"))
    assert "Reprenons ce seuil." in page
    assert "CRESS Bretagne, contribution (version 1)" in page
    assert "<blockquote>" in comment.body_html


@pytest.mark.parametrize(
    ("cite", "says"),
    [
        ("", "La section citée n'est pas désignée comme attendu."),
        ("s-achats", "La section citée n'est pas désignée comme attendu."),
        ("abc:s-achats", "La section citée n'est pas désignée comme attendu."),
        ("99999:s-achats", "Cette contribution n'est pas attachée à la position."),
        ("{id}:s-nowhere", "Cette section n'est pas dans la dernière version"),
        ("{id}:" + "x" * 200, "La section citée n'est pas désignée comme attendu."),
    ],
)
def test_a_quotation_of_something_else_is_refused(
    client, db, position, representative, cite, says
):
    contribution = received(db)
    login(client, representative)
    attach(client, position, contribution)
    cite = cite.replace("{id}", str(contribution.id))
    refused(
        client.post(
            f"/positions/{position.id}/contributions/quote",
            data={"cite": cite, "body": "Oui.", "section": ""},
        ),
        400,
        says,
    )
    refused(
        client.get(
            f"/positions/{position.id}/contributions/quote", query_string={"cite": cite}
        ),
        400,
        says,
    )
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_a_contribution_not_attached_to_this_position_cannot_be_quoted(
    client, db, position, representative, walk_position, network
):
    contribution = received(db)
    other = walk_position(
        lead=network, by=representative, until="consultation", title="Autre", days=14
    )
    login(client, representative)
    attach(client, other, contribution)
    refused(
        client.post(
            f"/positions/{position.id}/contributions/quote",
            data={"cite": f"{contribution.id}:s-achats", "body": "Oui."},
        ),
        400,
        "Cette contribution n'est pas attachée à la position.",
    )


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"body": ""}, "Écrivez votre commentaire."),
        ({"body": "x" * 9_950}, "Avec la citation, un commentaire compte au plus"),
        ({"body": "x" * 10_001}, "Un commentaire compte au plus 10"),
        ({"body": "Oui.", "section": "s-nowhere"}, "Not a valid choice"),
    ],
)
def test_a_quoting_comment_is_checked_and_nothing_is_half_written(
    client, db, position, representative, data, says
):
    contribution = received(db)
    login(client, representative)
    attach(client, position, contribution)
    response = client.post(
        f"/positions/{position.id}/contributions/quote",
        data={"cite": f"{contribution.id}:s-achats", "section": "", **data},
    )
    assert response.status_code == 400
    if says != "Not a valid choice":
        assert says in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_quoting_after_the_consultation_is_refused(
    client, db, position, representative
):
    contribution = received(db)
    login(client, representative)
    attach(client, position, contribution)
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    refused(
        client.post(
            f"/positions/{position.id}/contributions/quote",
            data={"cite": f"{contribution.id}:s-achats", "body": "Oui."},
        ),
        409,
    )


def test_the_lead_files_a_section_as_an_amendment_in_the_regions_name(
    client, db, position, representative
):
    contribution = received(db)
    login(client, representative)
    attach(client, position, contribution)
    key = f"{contribution.id}:s-achats"
    propositions = position.current_revision.sections[2]["id"]
    choice = page_text(
        client.get(f"/positions/{position.id}/amendments/new?region={key}")
    )
    assert "Déposé au nom de CRESS Bretagne" in choice
    assert f"region={contribution.id}:s-achats" in choice.replace("%3A", ":")
    form = page_text(
        client.get(
            f"/positions/{position.id}/amendments/new",
            query_string={"region": key, "section": propositions},
        )
    )
    assert "Les collectivités réservent 10 %" in form  # the region's wording
    assert "Proposé par CRESS Bretagne dans sa contribution" in form
    token = form.split('name="form_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        f"/positions/{position.id}/amendments/new",
        data={
            "section": propositions,
            "region": key,
            "kind": "replace",
            "proposed": REGION_TEXT,
            "rationale": "Proposé par CRESS Bretagne.",
            "form_token": token,
            "action": "file",
        },
    )
    assert response.status_code == 302, page_text(response)[:3000]
    amendment = db.session.scalar(sa.select(Amendment))
    assert (amendment.contribution_id, amendment.contribution_section_id) == (
        contribution.id,
        "s-achats",
    )
    page = page_text(client.get(f"/positions/{position.id}/amendments/1"))
    assert "au nom de CRESS Bretagne" in page
    listing = page_text(client.get(f"/positions/{position.id}/amendments/"))
    assert "au nom de CRESS Bretagne" in listing


def test_only_the_lead_files_in_a_regions_name(
    client, db, position, create_user, create_network, representative
):
    contribution = received(db)
    login(client, representative)
    attach(client, position, contribution)
    client.post("/logout")
    member = create_user(
        email="membre@example.org", networks=[create_network(name="Mutuelle de Sarthe")]
    )
    login(client, member)
    key = f"{contribution.id}:s-achats"
    page = page_text(client.get(f"/positions/{position.id}/contributions"))
    assert "Citer dans un commentaire" in page
    assert "Déposer en amendement au nom" not in page
    refused(client.get(f"/positions/{position.id}/amendments/new?region={key}"), 403)
    propositions = position.current_revision.sections[2]["id"]
    refused(
        client.post(
            f"/positions/{position.id}/amendments/new",
            data={
                "section": propositions,
                "region": key,
                "kind": "replace",
                "proposed": REGION_TEXT,
                "rationale": "Pourquoi pas.",
                "action": "file",
            },
        ),
        403,
    )
    assert db.session.scalar(sa.select(sa.func.count(Amendment.id))) == 0


@pytest.mark.parametrize("key", ["abc", "99999:s-achats", "{id}:s-nowhere"])
def test_filing_in_the_name_of_something_else_is_refused(
    client, db, position, representative, key
):
    contribution = received(db)
    login(client, representative)
    attach(client, position, contribution)
    key = key.replace("{id}", str(contribution.id))
    refused(client.get(f"/positions/{position.id}/amendments/new?region={key}"), 400)
    assert db.session.scalar(sa.select(sa.func.count(Amendment.id))) == 0
