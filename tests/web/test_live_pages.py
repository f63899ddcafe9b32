"""The app's side of live co-writing: the edit page opens the live editor for
those who may edit, the pass to the room, saving a version; and bad input."""

from datetime import timedelta

import pytest

from advocacy.collab.tokens import read_token
from advocacy.models import utcnow
from advocacy.services import consultation, live
from tests.conftest import login, page_text, refused

COLLAB = "ws://127.0.0.1:5999/collab"


@pytest.fixture
def app_config():
    return {"COLLAB_URL": COLLAB}


def test_the_edit_page_opens_the_live_editor_with_a_pass(
    client, login_as, people, cowritten
):
    login_as(people["bob"])
    response = client.get(f"/positions/{cowritten.id}/edit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "data-live" in html and f'data-url="{COLLAB}"' in html
    assert 'data-network="Mutuelle de Vendée"' in html
    # the pass is for Bob and this position, signed with the app's key
    token = html.split('data-token="', 1)[1].split('"', 1)[0]
    room_pass = read_token("test-secret-key", token, max_age=60)
    assert (room_pass.person_id, room_pass.position_id) == (
        people["bob"].id,
        cowritten.id,
    )
    # the plain form is still there, for browsers without the live editor
    assert "Enregistrer une nouvelle version" in page_text(response)
    policy = response.headers["Content-Security-Policy"]
    assert "connect-src 'self' ws://127.0.0.1:5999" in policy
    assert "style-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'data-style-nonce="{nonce}"' in html


def test_without_a_collaboration_server_the_page_keeps_the_plain_form(
    app_factory, people, cowritten
):
    plain = app_factory(COLLAB_URL="")
    client = plain.test_client()
    login(client, people["anne"])
    response = client.get(f"/positions/{cowritten.id}/edit")
    assert response.status_code == 200
    assert "data-live" not in response.get_data(as_text=True)
    assert "style-src" not in response.headers["Content-Security-Policy"]


def test_a_fresh_pass_for_an_editor_that_reconnects(
    client, login_as, people, cowritten
):
    login_as(people["anne"])
    response = client.get(f"/positions/{cowritten.id}/live/token")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    answer = response.get_json()
    assert answer["expires_in"] == 600
    assert read_token("test-secret-key", answer["token"], max_age=60).person_id == (
        people["anne"].id
    )


@pytest.mark.parametrize("path", ["live/token", "edit"])
def test_who_may_not_edit_gets_no_pass(client, login_as, people, cowritten, path):
    refused(client.get(f"/positions/{cowritten.id}/{path}"), 404)  # not public
    login_as(people["ca1"])  # a member (on the board) whose network does not co-write
    refused(client.get(f"/positions/{cowritten.id}/{path}"), 403)
    refused(client.get(f"/positions/999999/{path}"), 404)


def test_no_pass_once_the_writing_is_closed(client, login_as, people, cowritten, db):
    consultation.open_consultation(
        cowritten, closes_at=utcnow() + timedelta(days=7), message="", by=people["anne"]
    )
    db.session.commit()
    login_as(people["anne"])
    refused(
        client.get(f"/positions/{cowritten.id}/live/token"),
        409,
        "Seul un brouillon peut être modifié",
    )
    refused(
        client.post(f"/positions/{cowritten.id}/live/save", data={"live-message": "x"}),
        409,
        "Seul un brouillon peut être modifié",
    )


def test_saving_a_version_of_the_live_text(client, login_as, people, cowritten, db):
    live.ensure_document(cowritten)
    doc = live.new_doc()
    live.load(cowritten.id, doc)
    before = doc.get_state()
    doc.get("body", type=live.Text).insert(0, "Bob écrit. ")
    live.append_update(
        cowritten.id,
        doc.get_update(before),
        author_id=people["bob"].id,
        network_id=people["partner"].id,
    )
    db.session.commit()
    login_as(people["anne"])
    response = client.post(
        f"/positions/{cowritten.id}/live/save",
        data={"live-message": "Une phrase de Bob"},
        follow_redirects=True,
    )
    assert "Enregistré comme version 2." in page_text(response)
    history = page_text(client.get(f"/positions/{cowritten.id}/history"))
    assert (
        "Écrit ensemble par Anne (Union régionale des Scop), Bob (Mutuelle de Vendée)"
        in history
    )
    response = client.post(
        f"/positions/{cowritten.id}/live/save", data={}, follow_redirects=True
    )
    assert "Rien n'a changé" in page_text(response)


@pytest.mark.parametrize(
    "data, says",
    [
        ({"live-message": "x" * 201}, "200 caractères au plus"),
        ({"live-message": "ok", "live-network": "abc"}, None),
        ({"live-message": "ok", "live-network": "999999"}, None),
    ],
)
def test_bad_input_when_saving_a_version(
    client, login_as, people, cowritten, db, data, says
):
    live.ensure_document(cowritten)
    db.session.commit()
    login_as(people["anne"])
    response = client.post(f"/positions/{cowritten.id}/live/save", data=data)
    assert response.status_code == 400
    text = page_text(response)
    assert says is None or says in text
    assert "Veuillez corriger" in text
    assert cowritten.current_revision.number == 1
