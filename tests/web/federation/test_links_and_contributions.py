"""Installations that know each other: identity, links, signed messages, refusals.

Two installations run in each test: the region (the usual test app) and the
national federation (its own database), both served on loopback; each one's
outbox worker is run by the test, as cron or a worker process would.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from advocacy.extensions import db
from advocacy.federation.remote import Unreachable, check_address
from advocacy.models import AuditEvent, OutboxMessage
from advocacy.models.federation import (
    FederationMessage,
    InstallationKey,
    LinkPurpose,
    LinkState,
    MessageStatus,
    Peer,
)
from tests.conftest import CONFIRMED, login, page_text, refused
from tests.federation import ask, link, peer_on, post, sent_activities, served

# --- identity ---------------------------------------------------------------------


def test_an_installation_is_found_by_webfinger_and_publishes_its_key(region, client):
    host = region.url.removeprefix("http://")
    found = client.get(f"/.well-known/webfinger?resource=acct:porte-voix@{host}")
    assert found.status_code == 200
    assert found.mimetype == "application/jrd+json"
    actor_url = found.json["links"][0]["href"]
    assert actor_url == f"{region.url}/federation/actor"

    actor = client.get("/federation/actor")
    assert actor.mimetype == "application/activity+json"
    document = actor.json
    assert document["id"] == actor_url and document["type"] == "Organization"
    assert document["name"] == "CRESS Pays de la Loire"
    assert document["inbox"] == f"{region.url}/federation/inbox"
    key = document["publicKey"]
    assert key["owner"] == actor_url and key["id"] == actor_url + "#main-key"
    assert "BEGIN PUBLIC KEY" in key["publicKeyPem"]
    # made once, kept: the same key at every reading, and no private part shown
    assert client.get("/federation/actor").json["publicKey"] == key
    assert "PRIVATE" not in actor.get_data(as_text=True)
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(InstallationKey)) == 1
    )
    context = client.get("/federation/context")
    assert context.status_code == 200 and "purpose" in context.json["@context"]
    # every property Porte-voix adds to ActivityStreams is defined there
    added = "version sections text networks signatories building board number"
    added += " section kind proposed rationale status vote"
    assert set(added.split()) <= set(context.json["@context"])


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("?resource=", 400),
        ("?resource=acct:someone@127.0.0.1", 404),
        ("?resource=acct:porte-voix@elsewhere.example", 404),
        ("?resource=" + "x" * 3000, 404),
    ],
)
def test_webfinger_answers_only_for_this_installation(client, query, status):
    assert client.get(f"/.well-known/webfinger{query}").status_code == status


def test_the_key_pair_is_made_by_the_command_line_once(app, region):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["federation", "keys"])
    second = runner.invoke(args=["federation", "keys"])
    assert first.exit_code == 0 and "fingerprint:" in first.output
    assert first.output == second.output
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(InstallationKey)) == 1
    )


# --- links ------------------------------------------------------------------------


def test_two_installations_link_and_each_staff_sees_it(region, national, client):
    login(client, "staff@example.org")
    assert ask(client, national).status_code == 302
    asked = peer_on(region)
    assert (asked.name, asked.state, asked.purpose) == (
        "ESS France",
        LinkState.REQUESTED,
        LinkPurpose.CONTRIBUTES_TO,
    )
    assert region.work().sent == 1

    # the national staff see the request, with the region's key fingerprint
    national_staff = national.client()
    page = page_text(national_staff.get("/admin/federation/"))
    assert "CRESS Pays de la Loire" in page and "en attente de notre réponse" in page
    pending = peer_on(national)
    assert pending.purpose is LinkPurpose.RECEIVES_CONTRIBUTIONS
    assert pending.state is LinkState.PENDING and not pending.asked_by_us

    national_staff.post(f"/admin/federation/links/{pending.id}/accept")
    assert national.work().sent == 1
    assert peer_on(region).state is LinkState.ACTIVE
    assert peer_on(national).state is LinkState.ACTIVE

    # every act is audited on the side where it happened
    federation = AuditEvent.action.like("federation.%")
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(federation).order_by(AuditEvent.id)
    ).all()
    assert actions == ["federation.link_ask", "federation.link_accepted"]
    with national.context():
        there = db.session.scalars(
            sa.select(AuditEvent.action).where(federation).order_by(AuditEvent.id)
        ).all()
    assert there == ["federation.link_asked", "federation.link_accept"]
    # and every message shows on the staff page, in and out
    page = page_text(client.get("/admin/federation/"))
    assert "sortant · Follow" in page and "entrant · Accept" in page
    assert "actif" in page


def test_a_link_is_suspended_resumed_and_ended_and_the_other_side_is_told(
    region, national, client
):
    link(region, national, client)
    peer = peer_on(region)
    steps = f"/admin/federation/links/{peer.id}"
    assert client.post(f"{steps}/suspend").status_code == 302
    assert peer_on(region).state is LinkState.SUSPENDED
    assert client.post(f"{steps}/resume").status_code == 302
    # ending asks first, then tells the other installation
    asked = client.post(f"{steps}/end")
    assert asked.status_code == 200 and "Mettre fin au lien" in page_text(asked)
    assert peer_on(region).state is LinkState.ACTIVE
    assert client.post(f"{steps}/end", data=CONFIRMED).status_code == 302
    assert peer_on(region).state is LinkState.ENDED
    region.work()
    assert peer_on(national).state is LinkState.ENDED
    actions = db.session.scalars(
        sa.select(AuditEvent.action).order_by(AuditEvent.id)
    ).all()
    assert actions[-3:] == [
        "federation.link_suspend",
        "federation.link_resume",
        "federation.link_end",
    ]


def test_a_refused_link_is_refused_on_both_sides(region, national, client):
    login(client, "staff@example.org")
    ask(client, national, "receives_orientations")
    region.work()
    pending = peer_on(national)
    assert pending.purpose is LinkPurpose.SENDS_ORIENTATIONS
    national.client().post(f"/admin/federation/links/{pending.id}/refuse")
    national.work()
    assert peer_on(region).state is LinkState.REFUSED
    # refused, it may be asked again
    assert ask(client, national).status_code == 302
    assert peer_on(region).state is LinkState.REQUESTED


def test_a_peer_that_is_down_then_back_receives_everything_once(
    region, national_app, client
):
    login(client, "staff@example.org")
    port = national_app.app.config["PORT"]
    with served(national_app.app, port):
        assert ask(client, national_app).status_code == 302
    down = region.work()
    assert (down.sent, down.retried) == (0, 1)
    with region.context():
        waiting = db.session.scalar(sa.select(OutboxMessage))
        assert waiting.attempts == 1 and waiting.last_error
    page = page_text(client.get("/admin/federation/"))
    assert "en attente d'envoi" in page

    later = datetime.now(UTC) + timedelta(hours=1)
    with served(national_app.app, port):
        from advocacy.services.outbox import send_due

        with region.context():
            assert send_due(now=later).sent == 1
            assert send_due(now=later + timedelta(hours=1)).sent == 0
    with national_app.context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Peer)) == 1
        received = db.session.scalars(sa.select(FederationMessage.activity_type)).all()
        assert received == ["Follow"]


# --- the staff form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "purpose", "says"),
    [
        ("", "contributes_to", "Indiquez l'adresse de l'installation."),
        ("https://" + "a" * 500 + ".org", "contributes_to", "500 caractères au plus."),
        ("ftp://example.org", "contributes_to", "https://"),
        ("http://127.0.0.1:9", "contributes_to", "n'a pas pu être jointe"),
        ("NATIONAL", "", "Choisissez à quoi sert le lien."),
        ("NATIONAL", "sends_orientations", "Choisissez à quoi sert le lien."),
        ("NATIONAL", 42, "Choisissez à quoi sert le lien."),
        ("REGION", "contributes_to", "l'adresse de cette installation même"),
    ],
)
def test_a_link_request_is_checked(region, national, client, address, purpose, says):
    login(client, "staff@example.org")
    address = address.replace("NATIONAL", national.url).replace("REGION", region.url)
    answer = client.post(
        "/admin/federation/links", data={"address": address, "purpose": purpose}
    )
    refused(answer, 400, says)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Peer)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_a_link_is_asked_once_and_steps_follow_its_state(region, national, client):
    link(region, national, client)
    refused(ask(client, national), 409, "Un lien avec ESS France existe déjà.")
    peer = peer_on(region)
    refused(client.post(f"/admin/federation/links/{peer.id}/accept"), 409)
    refused(client.post(f"/admin/federation/links/{peer.id}/resume"), 409)
    assert client.post(f"/admin/federation/links/{peer.id}/launch").status_code == 404
    assert client.post("/admin/federation/links/999/accept").status_code == 404
    assert client.post("/admin/federation/links/x/accept").status_code == 404
    assert client.get(f"/admin/federation/links/{peer.id}/accept").status_code == 405
    assert peer_on(region).state is LinkState.ACTIVE


def test_only_staff_see_and_change_links(region, client, representative):
    login(client, representative)
    assert client.get("/admin/federation/").status_code == 403
    answer = client.post(
        "/admin/federation/links",
        data={"address": "https://example.org", "purpose": "contributes_to"},
    )
    assert answer.status_code == 403


def test_other_installations_are_read_only_on_the_public_internet(app):
    app.config["FEDERATION_ALLOW_PRIVATE"] = False
    for address in (
        "http://example.org",
        "https://127.0.0.1/",
        "https://localhost:8443/",
        "https://[::1]/",
        "https://10.0.0.8/",
    ):
        with pytest.raises(Unreachable):
            check_address(address)


# --- the inbox --------------------------------------------------------------------


def undo(region, national) -> dict:
    follow_id = peer_on(region).follow_id
    return {
        "id": f"{region.url}/federation/activities/undo-1",
        "type": "Undo",
        "actor": f"{region.url}/federation/actor",
        "object": {"id": follow_id, "type": "Follow"},
    }


def national_state(national):
    with national.context():
        peer = db.session.scalar(sa.select(Peer))
        received = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FederationMessage)
            .where(FederationMessage.status == MessageStatus.RECEIVED)
        )
        events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        return peer.state, received, events


def test_a_signed_activity_of_a_linked_installation_is_acted_on(
    region, national, client
):
    link(region, national, client)
    answer = post(region, national, undo(region, national))
    assert answer.status_code == 202
    assert peer_on(national).state is LinkState.ENDED


@pytest.mark.parametrize(
    ("tamper", "status", "says"),
    [
        ("forged", 401, "signature"),
        ("body changed", 401, "Content-Digest"),
        ("stale", 401, "signature"),
        ("from the future", 401, "future"),
        ("not JSON", 400, "JSON"),
        ("no id", 400, "id"),
        ("unknown type", 400, "Delete"),
        ("someone else's actor", 403, "signée par son acteur"),
    ],
)
def test_the_inbox_refuses_what_it_cannot_trust_and_writes_nothing(
    region, national, client, tamper, status, says
):
    link(region, national, client)
    before = national_state(national)
    activity = undo(region, national)
    options = {}
    if tamper == "forged":
        options["key"] = Ed25519PrivateKey.generate()
    elif tamper == "body changed":
        options["body"] = json.dumps({**activity, "id": activity["id"] + "x"}).encode()
    elif tamper == "stale":
        options["created"] = datetime.now(UTC) - timedelta(minutes=6)
    elif tamper == "from the future":
        options["created"] = datetime.now(UTC) + timedelta(minutes=6)
    elif tamper == "not JSON":
        options["body"] = b"{not json"
    elif tamper == "no id":
        activity.pop("id")
    elif tamper == "unknown type":
        activity["type"] = "Delete"
    elif tamper == "someone else's actor":
        activity["actor"] = "http://127.0.0.1:9/federation/actor"
    answer = post(region, national, activity, **options)
    assert answer.status_code == status, answer.text
    assert says in answer.json()["error"]
    assert national_state(national) == before


def test_a_replayed_activity_changes_nothing(region, national, client):
    link(region, national, client)
    activity = undo(region, national)
    assert post(region, national, activity).status_code == 202
    with national.context():
        peer = db.session.scalar(sa.select(Peer))
        peer.state = LinkState.ACTIVE  # linked again meanwhile
    before = national_state(national)
    assert post(region, national, activity).status_code == 202
    assert national_state(national) == before


def test_an_unlinked_or_suspended_installation_is_refused(region, national, client):
    # never linked: its key is no one's
    stranger = {
        "id": f"{region.url}/federation/activities/1",
        "type": "Accept",
        "actor": f"{region.url}/federation/actor",
        "object": "whatever",
    }
    answer = post(region, national, stranger)
    assert answer.status_code == 403
    with national.context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Peer)) == 0
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(FederationMessage))
            == 0
        )

    link(region, national, client)
    peer = peer_on(national)
    national.client().post(f"/admin/federation/links/{peer.id}/suspend")
    before = national_state(national)
    answer = post(region, national, undo(region, national))
    assert answer.status_code == 403 and "suspendu" in answer.json()["error"]
    assert national_state(national) == before
    # the national staff see the refusal and its reason
    page = page_text(national.client().get("/admin/federation/"))
    assert "refusé — Ce lien est suspendu." in page


def test_a_message_refused_by_the_peer_is_not_retried(region, national, client):
    link(region, national, client)
    peer = peer_on(national)
    national.client().post(f"/admin/federation/links/{peer.id}/suspend")
    # the region ends the link; the suspended national side refuses the message
    mine = peer_on(region)
    client.post(f"/admin/federation/links/{mine.id}/end", data=CONFIRMED)
    report = region.work()
    assert (report.sent, report.given_up) == (0, 1)
    with region.context():
        message = db.session.scalar(
            sa.select(FederationMessage).where(
                FederationMessage.activity_type == "Undo"
            )
        )
        assert message.status is MessageStatus.FAILED
        assert message.reason.startswith("403")


# --- contributions: a regional statement goes up ----------------------------------


@pytest.fixture
def national_statement(walk_position, board_members, network, representative):
    """A statement the region wrote, voted, approved for the national debate."""
    from advocacy.models import Arena, PositionArena
    from advocacy.services import statements

    def publish(title="Pour une commande publique responsable"):
        position = walk_position(
            lead=network,
            by=representative,
            until="approved",
            title=title,
            approvers=board_members[:2],
        )
        position.arena_rows.append(PositionArena(arena=Arena.NATIONAL))
        db.session.flush()
        version = statements.publish_statement(position, by=board_members[0])
        db.session.commit()
        return version

    return publish


def test_a_statement_for_the_national_debate_becomes_a_national_contribution(
    region, national, client, national_statement
):
    link(region, national, client)
    version = national_statement()
    number, section_ids = version.number, [s["id"] for s in version.sections]
    writers = [s.get("network") for s in version.sections]
    from advocacy.models import Revision

    texts = [s["text"] for s in db.session.get(Revision, version.revision_id).sections]
    region.work()
    assert sent_activities(region)[-1] == ("Create", "sent")

    with national.context():
        from advocacy.models import Contribution, ContributionVersion

        contribution = db.session.scalar(sa.select(Contribution))
        kept = db.session.scalar(sa.select(ContributionVersion))
        assert contribution.title == "Pour une commande publique responsable"
        assert kept.number == 1 and kept.url.endswith(f"/v{number}")
        # the sections keep their ids and who wrote them
        assert [s["id"] for s in kept.sections] == section_ids
        assert [s["network"] for s in kept.sections] == writers
        # with their Markdown, to be quoted and filed as amendments
        assert [s["text"] for s in kept.sections] == texts
        assert kept.networks == [{"name": "Réseau ESS de Vendée", "role": "lead"}]
        assert kept.building["participants"]["families"] == {"association": 1}
        assert kept.building["motions"][0]["for"] == 1
        contribution_id = contribution.id

    # the national members read it, attributed to the region
    member = national.client()
    page = page_text(member.get(f"/workspace/contributions/{contribution_id}"))
    assert "Contribution de CRESS Pays de la Loire" in page
    assert "Association" in page and "Réseau ESS de Vendée" in page
    listing = page_text(member.get("/workspace/contributions/"))
    assert "Pour une commande publique responsable" in listing


def test_a_new_version_updates_the_contribution_and_keeps_the_first(
    region, national, client, publish, staff
):
    from advocacy.demo.walk import skip_to
    from advocacy.models import (
        Arena,
        Contribution,
        ContributionVersion,
        Position,
        PositionState,
    )
    from advocacy.services import statements

    link(region, national, client)
    first = publish(title="Accompagner les tiers-lieux", arenas=[Arena.NATIONAL])
    region.work()
    position = db.session.get(Position, first.statement.position_id)
    skip_to(position, PositionState.APPROVED)  # a new version, approved
    statements.publish_statement(position, by=staff)
    db.session.commit()
    region.work()
    assert [t for t, _s in sent_activities(region)][-2:] == ["Create", "Update"]
    # sent again by hand, the same version is kept once
    client.post(
        "/admin/federation/contributions", data={"statement": first.statement.slug}
    )
    region.work()
    with national.context():
        numbers = db.session.scalars(
            sa.select(ContributionVersion.number).order_by(ContributionVersion.number)
        ).all()
        contribution = db.session.scalar(sa.select(Contribution))
        assert numbers == [1, 2] and contribution.number == 2
        ident = contribution.id
    member = national.client()
    assert "version 2" in page_text(member.get(f"/workspace/contributions/{ident}"))
    earlier = page_text(member.get(f"/workspace/contributions/{ident}?version=1"))
    assert "version 1, publiée le" in earlier


def test_a_statement_for_the_region_only_stays_in_the_region(
    region, national, client, publish
):
    link(region, national, client)
    publish(arenas=[])
    region.work()
    assert [t for t, _s in sent_activities(region)] == ["Follow"]
    with national.context():
        from advocacy.models import Contribution

        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(Contribution)) == 0
        )


def test_staff_send_a_statement_by_hand(region, national, client, publish):
    link(region, national, client)
    version = publish(title="Accompagner les tiers-lieux", arenas=[])
    slug = version.statement.slug
    answer = client.post(
        "/admin/federation/contributions",
        data={"statement": f"{region.url}/statements/{slug}"},
    )
    assert answer.status_code == 302
    region.work()
    assert sent_activities(region)[-1] == ("Create", "sent")
    refused(
        client.post("/admin/federation/contributions", data={"statement": "nowhere"}),
        400,
        "Aucune déclaration publiée n'a cette adresse.",
    )
    refused(
        client.post("/admin/federation/contributions", data={"statement": ""}),
        400,
        "Indiquez l'adresse d'une déclaration publiée.",
    )


def test_without_an_active_link_nothing_is_sent_by_hand(region, client, publish):
    login(client, "staff@example.org")
    version = publish(arenas=[])
    answer = client.post(
        "/admin/federation/contributions", data={"statement": version.statement.slug}
    )
    refused(answer, 409, "ne contribue à aucune autre")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_a_contribution_page_checks_its_address(region, national, client, publish):
    from advocacy.models import Arena

    link(region, national, client)
    publish(arenas=[Arena.NATIONAL])
    region.work()
    with national.context():
        from advocacy.models import Contribution

        ident = db.session.scalar(sa.select(Contribution.id))
    member = national.client()
    base = f"/workspace/contributions/{ident}"
    assert member.get(base).status_code == 200
    assert member.get(f"{base}?version=1").status_code == 200
    refused(member.get(f"{base}?version=abc"), 400, "nombre entier")
    refused(member.get(f"{base}?version=0"), 400, "nombre entier")
    refused(member.get(f"{base}?version=9"), 404, "pas de version 9")
    assert member.get("/workspace/contributions/999").status_code == 404
    assert national.app.test_client().get(base).status_code == 302  # sign in first


def test_a_malformed_or_misdirected_contribution_is_refused(region, national, client):
    link(region, national, client)
    before = national_state(national)
    article = {
        "id": f"{region.url}/statements/x",
        "type": "Article",
        "url": f"{region.url}/statements/x/v1",
        "name": "Titre",
        "content": "<p>Texte</p>",
        "published": "2026-12-01T10:00:00+00:00",
        "version": 1,
        "sections": [],
    }
    for broken in (
        {**article, "version": "1"},
        {**article, "version": 0},
        {**article, "type": "Note"},
        {**article, "content": None},
        {**article, "published": "yesterday"},
        {**article, "sections": "all"},
        {**article, "id": "http://elsewhere.example/statements/x"},
    ):
        activity = {
            "id": f"{region.url}/federation/activities/c{id(broken)}",
            "type": "Create",
            "actor": f"{region.url}/federation/actor",
            "object": broken,
        }
        answer = post(region, national, activity)
        assert answer.status_code == 400, (broken, answer.text)
    assert national_state(national) == before
    # the region does not receive contributions from the national level
    back = {
        "id": f"{national.url}/federation/activities/c1",
        "type": "Create",
        "actor": f"{national.url}/federation/actor",
        "object": {**article, "id": f"{national.url}/statements/x"},
    }
    answer = post(national, region, back)
    assert answer.status_code == 400 and "contributions" in answer.json()["error"]


def test_scripts_in_a_contribution_are_removed(region, national, client):
    link(region, national, client)
    activity = {
        "id": f"{region.url}/federation/activities/s1",
        "type": "Create",
        "actor": f"{region.url}/federation/actor",
        "object": {
            "id": f"{region.url}/statements/x",
            "type": "Article",
            "url": f"{region.url}/statements/x/v1",
            "name": "Titre",
            "content": '<p onclick="x()">Texte<script>alert(1)</script></p>',
            "published": "2026-12-01T10:00:00+00:00",
            "version": 1,
            "sections": [],
        },
    }
    assert post(region, national, activity).status_code == 202
    with national.context():
        from advocacy.models import ContributionVersion

        kept = db.session.scalar(sa.select(ContributionVersion))
        assert "<script" not in kept.body_html and "onclick" not in kept.body_html
