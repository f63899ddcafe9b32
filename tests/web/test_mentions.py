"""@mentions: "@[Name]" in a comment or an amendment's rationale links to a member or
a network and tells them; anyone else stays plain text, and nothing is revealed."""

import re
from html import unescape

import pytest
import sqlalchemy as sa

from advocacy.models import AmendmentKind, Comment, Notification
from advocacy.services import amendments, consultation
from tests.conftest import login, page_text

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)


@pytest.fixture
def consulted(people, walk_position, db):
    position = walk_position(
        lead=people["lead"], by=people["anne"], until="consultation", body=BODY, days=7
    )
    db.session.commit()
    return position


def told(db, kind="mention"):
    return sorted(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.kind == kind)
        ).all()
    )


def comment(client, position, body, **extra):
    return client.post(
        f"/positions/{position.id}/comments", data={"body": body} | extra
    )


def test_a_mention_links_and_tells_the_person_and_the_network(
    client, consulted, people, db
):
    login(client, people["anne"])
    response = comment(
        client,
        consulted,
        "Qu'en pensent @[Bob] et @[Réseau ESS du Maine] ? Merci @[Anne].",
    )
    assert response.status_code == 302
    html = db.session.scalar(sa.select(Comment.body_html))
    assert re.search(
        r'<a class="mention" href="/networks/mutuelle-85"[^>]*>@Bob</a>', html
    )
    assert '<a class="mention" href="/networks/ess-53"' in html
    # Bob, and Chloé who represents the network; not Anne, who wrote it
    assert told(db) == sorted([people["bob"].id, people["chloe"].id])
    page = client.get(f"/positions/{consulted.id}")
    assert "@Bob" in page_text(page) and "@[Bob]" not in page_text(page)


def test_someone_who_may_not_see_the_position_stays_plain_text(
    client, consulted, people, create_user, db
):
    create_user(display_name="Sans Réseau")  # not a member: may not see positions
    create_user(display_name="Partie", networks=[people["partner"]], is_active=False)
    login(client, people["anne"])
    for name in ("Sans Réseau", "Partie", "Personne Inconnue"):
        comment(client, consulted, f"Bonjour @[{name}].")
    bodies = db.session.scalars(sa.select(Comment.body_html).order_by(Comment.id)).all()
    # each reads exactly as typed: an outsider cannot tell who has an account
    assert [unescape(b) for b in bodies] == [
        "<p>Bonjour @[Sans Réseau].</p>",
        "<p>Bonjour @[Partie].</p>",
        "<p>Bonjour @[Personne Inconnue].</p>",
    ]
    assert told(db) == []


def test_a_mention_in_code_is_only_code(client, consulted, people, db):
    login(client, people["anne"])
    comment(client, consulted, "Écrivez `@[Bob]` pour mentionner.")
    assert 'class="mention"' not in db.session.scalar(sa.select(Comment.body_html))
    assert told(db) == []


def test_an_edit_tells_only_who_it_newly_mentions(client, consulted, people, db):
    login(client, people["anne"])
    comment(client, consulted, "Merci @[Bob].")
    first = db.session.scalar(sa.select(Comment))
    response = client.post(
        f"/positions/{consulted.id}/comments/{first.id}/edit",
        data={"body": "Merci @[Bob] et @[Chloé]."},
    )
    assert response.status_code == 302
    assert told(db) == sorted([people["bob"].id, people["chloe"].id])  # Bob once


def test_an_amendments_rationale_mentions_too(consulted, people, db):
    amendment, _ = amendments.file_amendment(
        consulted,
        section_id=consulted.current_revision.sections[1]["id"],
        kind=AmendmentKind.REPLACE,
        proposed="# Constat\n\nL'emploi progresse nettement.",
        rationale="Comme le disait @[Anne].",
        network=people["partner"],
        by=people["bob"],
        form_token=amendments.new_form_token(),
    )
    db.session.commit()
    assert 'class="mention"' in amendment.rationale_html
    assert told(db) == [people["anne"].id]
    consultation.post_comment(
        consulted, body="Vu.", by=people["chloe"], network=people["other"]
    )
    db.session.commit()
    assert told(db) == [people["anne"].id]  # a comment without mention tells no one


def test_typing_at_suggests_members_and_networks(
    client, consulted, people, create_user, db
):
    create_user(display_name="Bobette Dehors")  # not a member
    db.session.commit()
    url = f"/positions/{consulted.id}/mentions"
    assert client.get(f"{url}?q=Bo").status_code == 404  # not signed in
    login(client, people["anne"])
    found = client.get(f"{url}?q=Bo").get_json()
    assert found == [{"name": "Bob", "detail": "Mutuelle de Vendée"}]
    networks = client.get(f"{url}?q=Réseau").get_json()
    assert {"name": "Réseau ESS du Maine", "detail": "Réseau"} in networks
    assert client.get(f"{url}?q=B").get_json() == []  # too short to ask
    assert client.get(f"{url}").get_json() == []
    refused = client.get(f"{url}?q=" + "x" * 81)
    assert refused.status_code == 400
    assert "80 caractères" in unescape(page_text(refused))
    assert client.get("/positions/999999/mentions?q=Bo").status_code == 404
