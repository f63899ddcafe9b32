"""Parts of members' pages kept rendered (advocacy/fragments.py): each reader sees
what is true now and what they may do, whoever's visit rendered the part first."""

import os
import uuid
from datetime import timedelta

import pytest
from flask import url_for
from markupsafe import escape

from advocacy.extensions import fragment_store
from advocacy.models import utcnow
from advocacy.services import accounts, consultation
from advocacy.services import positions as positions_service
from tests.conftest import PASSWORD, csrf_token_from, login, page_text
from tests.web.conftest import draft


@pytest.fixture
def thread(db, open_position, people):
    """Bob's comment, with Chloé's reply."""
    comment = consultation.post_comment(
        open_position,
        body="Ajoutons les coopératives d'habitants.",
        by=people["bob"],
        network=people["partner"],
    )
    reply = consultation.post_comment(
        open_position,
        body="D'accord, avec les SCIC.",
        by=people["chloe"],
        network=people["other"],
        parent=comment,
    )
    db.session.commit()
    return comment, reply


def _page(app, user, position) -> str:
    client = app.test_client()
    login(client, user)
    position_id = position if isinstance(position, int) else position.id
    response = client.get(f"/positions/{position_id}")
    assert response.status_code == 200
    return page_text(response)


def _actions(html: str, comment_id: int) -> str:
    """The action links of one comment."""
    start = html.index(f'id="comment-{comment_id}"')
    return html[start : html.index("</div>", html.index("comment-actions", start))]


def test_each_reader_gets_the_actions_of_their_own_roles(
    app, open_position, thread, people
):
    comment, reply = thread
    anne = _page(app, people["anne"], open_position)  # renders the thread first
    bob = _page(app, people["bob"], open_position)
    chloe = _page(app, people["chloe"], open_position)
    # Bob wrote the comment: he edits it, others report it
    assert "Modifier" in _actions(bob, comment.id)
    assert "Signaler" not in _actions(bob, comment.id)
    assert "Modifier" not in _actions(anne, comment.id)
    assert "Signaler" in _actions(anne, comment.id)
    # Chloé wrote the reply: she edits it, Bob reports it
    assert "Edit" in _actions(chloe, reply.id)  # in her language
    assert "Modifier" not in _actions(bob, reply.id)
    assert "Signaler" in _actions(bob, reply.id)


def test_the_thread_shows_each_change_at_once(
    app, db, open_position, thread, people, staff
):
    comment, reply = thread
    position = open_position
    assert "avec les SCIC" in _page(app, people["anne"], position)

    consultation.edit_comment(reply, body="D'accord, et les CAE.", by=people["chloe"])
    db.session.commit()
    html = _page(app, people["anne"], position)
    assert "et les CAE" in html and "avec les SCIC" not in html

    consultation.post_comment(
        position,
        body="Et les régies de quartier.",
        by=people["anne"],
        network=people["lead"],
        parent=comment,
    )
    db.session.commit()
    assert "Et les régies de quartier." in _page(app, people["bob"], position)

    accounts.update_profile(people["chloe"], display_name="Chloé Martin", locale="en")
    db.session.commit()
    assert "Chloé Martin" in _page(app, people["anne"], position)

    consultation.moderate_comments([reply], hide=True, reason="Hors sujet", by=staff)
    db.session.commit()
    assert "et les CAE" not in _page(app, people["anne"], position)
    assert "Hors sujet" in _page(app, staff, position)

    consultation.close_consultation(position, by=people["anne"])
    db.session.commit()
    assert "Répondre" not in _page(app, people["anne"], position)


def test_a_kept_reply_form_carries_the_readers_own_token(csrf_app, db, people):
    position = draft(people)
    consultation.open_consultation(
        position, closes_at=utcnow() + timedelta(days=14), message="", by=people["anne"]
    )
    comment = consultation.post_comment(
        position, body="Premier avis.", by=people["anne"], network=people["lead"]
    )
    db.session.commit()
    first = csrf_app.test_client()
    login_with_token(first, people["anne"])
    first.get(f"/positions/{position.id}")  # Anne's visit renders the thread
    second = csrf_app.test_client()
    login_with_token(second, people["bob"])
    html = second.get(f"/positions/{position.id}").get_data(as_text=True)
    form = html[html.index(f'name="parent" value="{comment.id}"') - 400 :]
    response = second.post(
        f"/positions/{position.id}/comments",
        data={
            "csrf_token": csrf_token_from(form),
            "parent": comment.id,
            "body": "Réponse de Bob.",
        },
    )
    assert response.status_code == 302, page_text(response)[:500]
    assert "Réponse de Bob." in page_text(second.get(f"/positions/{position.id}"))


def login_with_token(client, user):
    html = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": csrf_token_from(html),
        },
    )
    assert response.status_code == 302


def test_history_and_comparison_follow_new_versions(app, db, position, people):
    anne = app.test_client()
    login(anne, people["anne"])
    assert "Version 1" in page_text(anne.get(f"/positions/{position.id}/history"))
    positions_service.save_revision(
        position,
        title=position.title,
        summary="",
        body="Texte.\n\nUn second paragraphe.",
        message="Ajout",
        base=position.current_revision,
        network=people["lead"],
        by=people["anne"],
    )
    db.session.commit()
    history = page_text(anne.get(f"/positions/{position.id}/history"))
    assert "Version 2" in history and "Rétablir la version 1" in history
    bob = app.test_client()
    login(bob, people["bob"])  # may read, not restore
    assert "Rétablir" not in page_text(bob.get(f"/positions/{position.id}/history"))
    inline = page_text(anne.get(f"/positions/{position.id}/compare?from=1&to=2"))
    side = page_text(
        anne.get(f"/positions/{position.id}/compare?from=1&to=2&view=side")
    )
    assert "2 lignes ajoutées, 0 ligne supprimée" in inline and "diff-inline" in inline
    assert "diff-side" in side and "diff-inline" not in side


def test_the_kept_frame_sends_each_page_back_to_itself(app, client, people):
    """The header is kept, but its language switch returns to the page it is on,
    and its menu marks that page."""
    anonymous = app.test_client()
    for path in ("/statements/", "/statements/?q=emploi", "/networks/"):
        with app.test_request_context():
            link = url_for("public.choose_language", code="en", next=path)
        assert f'href="{escape(link)}"' in anonymous.get(path).get_data(as_text=True)
    login(client, people["anne"])
    for path, entry in (
        ("/workspace/", "Mon espace"),
        ("/notifications/", "Notifications"),
        ("/statements/?q=emploi", "Déclarations"),
    ):
        html = page_text(client.get(path))
        assert f'name="next" value="{path}"' in html
        assert f'aria-current="page">{entry}<' in html
        assert html.count('aria-current="page"') == 1


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"), reason="set TEST_REDIS_URL to test"
)
def test_processes_share_the_kept_parts_through_redis(app_factory, thread, people):
    """What one process rendered, another serves from Redis, with its own token."""
    import redis

    prefix = f"test-{uuid.uuid4().hex}:"
    settings = {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": os.environ["TEST_REDIS_URL"],
        "CACHE_KEY_PREFIX": prefix,
    }
    store = redis.Redis.from_url(os.environ["TEST_REDIS_URL"])
    comment, _reply = thread
    first, second = app_factory(**settings), app_factory(**settings)
    assert "avec les SCIC" in _page(first, people["anne"], comment.position_id)
    kept = store.keys(f"{prefix}*")
    assert any(b"thread:" in k for k in kept) and any(
        b"frame-header" in k for k in kept
    )
    # the second process serves the thread the first one kept
    (thread_key,) = [k.decode() for k in kept if b"thread:" in k]
    with second.app_context():
        fragment_store.set(thread_key.removeprefix(prefix), "<p>Gardé par Redis.</p>")
    assert "Gardé par Redis." in _page(second, people["anne"], comment.position_id)
    store.delete(*kept)


def test_the_home_page_counts_the_networks_anew_after_a_write(
    client, create_network, count_queries
):
    """The site's figures are remembered until the next write, not longer."""
    create_network(name="Réseau un")
    assert "1 réseau adhérent" in page_text(client.get("/"))
    with count_queries() as again:
        client.get("/")
    create_network(name="Réseau deux")
    with count_queries() as after_a_write:
        assert "2 réseaux adhérents" in page_text(client.get("/"))
    assert after_a_write.count == again.count + 2  # the two figures, counted anew
