"""Live co-writing, the server side: who may join a room, what is stored, what a
room tells the people in it, and two collaboration processes on one document.

Each test runs real collaboration server processes (uvicorn) on the test
database; the editors are Python clients speaking the Yjs protocol."""

import time
from contextlib import asynccontextmanager
from datetime import timedelta

import anyio
import pytest
import sqlalchemy as sa

from advocacy.collab.tokens import make_token
from advocacy.models import LiveUpdate, Revision, RevisionContributor, utcnow
from advocacy.services import consultation, live
from advocacy.services import positions as positions_service
from tests.collab import CollabProcess, Editor, run, token_for
from tests.conftest import page_text
from tests.web.conftest import COWRITTEN_BODY as BODY


@pytest.fixture
def collab(database_url, tmp_path):
    """Start collaboration processes on the test database; all stopped at the end."""
    started: list[CollabProcess] = []

    def start(**config) -> CollabProcess:
        process = CollabProcess(database_url, tmp_path, config).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@asynccontextmanager
async def anne_and_bob(first, second, position, people):
    """Anne in ``first``'s room, Bob in ``second``'s (one process or two), both synced."""
    anne_url = first.url(position.id, token_for(people["anne"], position))
    bob_url = second.url(position.id, token_for(people["bob"], position))
    async with Editor(anne_url) as anne, Editor(bob_url) as bob:
        await anne.synced.wait()
        await bob.synced.wait()
        yield anne, bob


def stored(position) -> list[LiveUpdate]:
    return list(
        live.db.session.scalars(
            sa.select(LiveUpdate)
            .where(LiveUpdate.position_id == position.id)
            .order_by(LiveUpdate.id)
        )
    )


# --- Writing together -----------------------------------------------------------------


def test_what_one_types_the_other_sees_within_a_second(collab, cowritten, people):
    server = collab()
    times = []

    async def scenario():
        async with anne_and_bob(server, server, cowritten, people) as (anne, bob):
            assert anne.text() == bob.text() == BODY
            assert anne.text("title") == "Pour un emploi durable"
            await anne.type("Anne écrit ici. ")
            times.append(await bob.wait_for(lambda: "Anne écrit ici." in bob.text(), 1))
            await bob.type("Bob répond 😀. ", at=0)
            times.append(await anne.wait_for(lambda: "Bob répond" in anne.text(), 1))
            await anne.wait_for(lambda: anne.text() == bob.text())
            assert anne.text().startswith("Bob répond 😀. ## Constat")

    run(scenario)
    assert max(times) < 1
    authors = {u.author_id for u in stored(cowritten) if u.author_id}
    assert authors == {people["anne"].id, people["bob"].id}
    networks = {u.network_id for u in stored(cowritten) if u.author_id}
    assert networks == {people["lead"].id, people["partner"].id}


def test_typing_in_the_same_paragraph_at_once_keeps_both(collab, cowritten, people):
    server = collab()
    spot = BODY.index("emploie")

    async def scenario():
        async with anne_and_bob(server, server, cowritten, people) as (anne, bob):
            for word in ("durablement ", "vraiment "):
                await anne.type(word, at=spot)
                await bob.type(word.upper(), at=spot)
            await anne.wait_for(lambda: anne.text() == bob.text())
            text = anne.text()
            for word in ("durablement ", "vraiment ", "DURABLEMENT ", "VRAIMENT "):
                assert word in text

    run(scenario)


def test_the_markdown_comes_back_byte_identical(collab, cowritten, people):
    """Footnotes, links, nested lists and headings through the live document."""
    server = collab()
    url = server.url(cowritten.id, token_for(people["anne"], cowritten))

    async def scenario():
        async with Editor(url) as anne:
            await anne.synced.wait()
            assert anne.text() == BODY

    run(scenario)
    assert live.read(cowritten.id).texts["body"] == BODY


# --- Who may join -------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", ["forged", "other-position", "outsider", "unknown-position", "garbage"]
)
def test_who_may_not_write_is_refused(collab, cowritten, people, db, case):
    server = collab()
    other = positions_service.create_position(
        title="Autre",
        summary="",
        body="Texte.",
        lead=people["other"],
        themes=[],
        arenas=[],
        by=people["chloe"],
    )
    db.session.commit()
    url, expected = {
        "forged": (
            server.url(
                cowritten.id,
                make_token(
                    "not-the-key", person_id=people["anne"].id, position_id=cowritten.id
                ),
            ),
            4401,
        ),
        "other-position": (
            server.url(cowritten.id, token_for(people["chloe"], other)),
            4401,
        ),
        "outsider": (
            server.url(cowritten.id, token_for(people["chloe"], cowritten)),
            4403,
        ),
        "unknown-position": (
            f"ws://127.0.0.1:{server.port}/collab/999999?token="
            + make_token(
                "test-secret-key", person_id=people["anne"].id, position_id=999999
            ),
            4403,
        ),
        "garbage": (f"ws://127.0.0.1:{server.port}/collab/abc?token=x", 4404),
    }[case]

    async def scenario():
        async with Editor(url) as editor:
            assert await editor.closed() == expected
            assert editor.text() == ""

    run(scenario)
    assert stored(cowritten) == []


def test_an_expired_token_is_refused(collab, cowritten, people):
    server = collab(COLLAB_TOKEN_SECONDS=1)
    url = server.url(cowritten.id, token_for(people["anne"], cowritten))
    time.sleep(2.1)

    async def scenario():
        async with Editor(url) as editor:
            assert await editor.closed() == 4401

    run(scenario)


def test_a_network_removed_from_the_coauthors_stops_writing_at_once(
    collab, cowritten, people, db
):
    server = collab()
    url = server.url(cowritten.id, token_for(people["bob"], cowritten))

    async def scenario():
        async with Editor(url) as bob:
            await bob.synced.wait()
            await bob.type("Avant. ")
            await bob.wait_for(lambda: len(stored(cowritten)) == 2)
            positions_service.remove_coauthor(
                cowritten, people["partner"], by=people["anne"]
            )
            db.session.commit()
            await bob.type("Après. ")
            assert await bob.closed() == 4403

    run(scenario)
    texts = live.read(cowritten.id).texts["body"]
    assert "Avant." in texts and "Après." not in texts


# --- Durable, shared, closed ----------------------------------------------------------


def test_every_keystroke_received_survives_a_sigkill(collab, cowritten, people):
    server = collab()
    typed = "Chaque frappe compte. " * 3

    async def scenario():
        async with anne_and_bob(server, server, cowritten, people) as (anne, bob):
            for letter in typed:
                await anne.type(letter)
            # what Bob has received, the server had stored first
            await bob.wait_for(lambda: bob.text().endswith(typed))
            server.kill()

    run(scenario)
    server.start()  # the same port, a new process

    async def after():
        async with Editor(
            server.url(cowritten.id, token_for(people["bob"], cowritten))
        ) as bob:
            await bob.synced.wait()
            assert bob.text() == BODY + typed

    run(after)


def test_two_collaboration_processes_converge(collab, cowritten, people):
    first, second = collab(), collab()

    async def scenario():
        async with anne_and_bob(first, second, cowritten, people) as (anne, bob):
            await anne.type("Depuis le premier. ", at=0)
            await bob.type(" Depuis le second.")
            await anne.wait_for(lambda: "Depuis le second." in anne.text(), 2)
            await bob.wait_for(lambda: "Depuis le premier." in bob.text(), 2)
            await anne.wait_for(lambda: anne.text() == bob.text())

    run(scenario)
    assert live.read(cowritten.id).texts["body"] == (
        "Depuis le premier. " + BODY + " Depuis le second."
    )


def test_opening_the_consultation_closes_the_room_and_keeps_what_was_typed(
    collab, cowritten, people, db
):
    server = collab()
    url = server.url(cowritten.id, token_for(people["bob"], cowritten))

    async def scenario():
        async with Editor(url) as bob:
            await bob.synced.wait()
            assert bob.room == {"writable": True, "state": "draft"}
            await bob.type("Dernière phrase. ")
            await bob.wait_for(lambda: len(stored(cowritten)) == 2)
            consultation.open_consultation(
                cowritten,
                closes_at=utcnow() + timedelta(days=10),
                message="",
                by=people["anne"],
            )
            db.session.commit()
            await bob.wait_for(lambda: bob.room.get("writable") is False, 2)
            assert bob.room["state"] == "consultation"
            await bob.type("Trop tard. ")
            await anyio.sleep(0.5)

    run(scenario)
    revision = cowritten.current_revision
    assert revision.body.endswith("Dernière phrase. ")
    assert "Trop tard." not in live.read(cowritten.id).texts["body"]
    credited = db.session.scalars(
        sa.select(RevisionContributor.user_id).where(
            RevisionContributor.revision_id == revision.id
        )
    ).all()
    assert credited == [people["bob"].id]


def test_a_pause_in_the_writing_saves_a_version(collab, cowritten, people, db):
    server = collab(COLLAB_IDLE_SECONDS=1)
    url = server.url(cowritten.id, token_for(people["anne"], cowritten))

    async def scenario():
        async with Editor(url) as anne:
            await anne.synced.wait()
            await anne.type("Une pause, puis plus rien. ")
            await anne.wait_for(lambda: _latest(db, cowritten).number == 2, 5)

    run(scenario)
    revision = _latest(db, cowritten)
    assert revision.body.endswith("Une pause, puis plus rien. ")
    assert revision.author_id is None
    assert [c.user_id for c in revision_contributors(db, revision)] == [
        people["anne"].id
    ]


def _latest(db, position) -> Revision:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Revision)
        .where(Revision.position_id == position.id)
        .order_by(Revision.number.desc())
        .limit(1)
    ).one()


def revision_contributors(db, revision) -> list[RevisionContributor]:
    return list(
        db.session.scalars(
            sa.select(RevisionContributor)
            .where(RevisionContributor.revision_id == revision.id)
            .order_by(RevisionContributor.id)
        )
    )


# --- From the live text to the history (the app's side) ------------------------------


def test_saving_a_version_credits_everyone_who_typed(
    collab, cowritten, people, db, client, login_as
):
    server = collab()
    before = {s["id"]: s["text"] for s in cowritten.current_revision.sections}

    async def scenario():
        async with anne_and_bob(server, server, cowritten, people) as (anne, bob):
            await anne.type(" Un ajout d'Anne.", at=BODY.index("\n\n## Propositions"))
            await bob.type("Bob ajoute une ligne.\n")
            await anne.wait_for(lambda: anne.text() == bob.text() != BODY)

    run(scenario)
    login_as(people["anne"])
    response = client.post(
        f"/positions/{cowritten.id}/live/save",
        data={"live-message": "Ajouts d'Anne et de Bob"},
    )
    assert response.status_code == 302
    revision = _latest(db, cowritten)
    assert revision.number == 2 and revision.message == "Ajouts d'Anne et de Bob"
    assert (
        "Un ajout d'Anne." in revision.body and "Bob ajoute une ligne." in revision.body
    )
    pairs = [(c.user_id, c.network_id) for c in revision_contributors(db, revision)]
    assert pairs == [
        (people["anne"].id, people["lead"].id),
        (people["bob"].id, people["partner"].id),
    ]
    after = {s["id"]: s["text"] for s in revision.sections}
    assert after.keys() == before.keys()
    history = page_text(client.get(f"/positions/{cowritten.id}/history"))
    assert "Bob" in history and "Mutuelle de Vendée" in history
    # saved again with nothing typed since: no empty version
    client.post(f"/positions/{cowritten.id}/live/save", data={"live-message": ""})
    assert _latest(db, cowritten).number == 2


def test_a_save_through_the_form_replaces_the_live_text(
    collab, cowritten, people, db, client, login_as
):
    server = collab()
    url = server.url(cowritten.id, token_for(people["bob"], cowritten))
    login_as(people["anne"])

    async def scenario():
        async with Editor(url) as bob:
            await bob.synced.wait()
            await bob.type("Bob tape. ", at=0)
            await bob.wait_for(lambda: len(stored(cowritten)) == 2)
            current = _latest(db, cowritten)
            response = await anyio.to_thread.run_sync(
                lambda: client.post(
                    f"/positions/{cowritten.id}/edit",
                    data={
                        "title": current.title,
                        "summary": current.summary,
                        "body": BODY.replace("14 %", "quinze pour cent"),
                        "base_revision": current.id,
                        "action": "save",
                    },
                )
            )
            assert response.status_code == 302
            await bob.wait_for(lambda: "quinze pour cent" in bob.text(), 2)
            assert "14 %" not in bob.text()
            # what Bob typed was saved first, then merged with the form's save
            assert bob.text().startswith("Bob tape. ## Constat")

    run(scenario)
    assert live.read(cowritten.id).texts["body"] == "Bob tape. " + BODY.replace(
        "14 %", "quinze pour cent"
    )
    versions = db.session.scalars(
        sa.select(Revision.number).where(Revision.position_id == cowritten.id)
    ).all()
    assert sorted(versions) == [1, 2, 3]
