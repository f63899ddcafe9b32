"""Two people of two co-author networks write one position together, live, in two
browsers: each sees the other's typing within a second, nothing typed offline is
lost, and the version they save credits both."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from advocacy.models import Revision, RevisionContributor
from advocacy.services import live
from advocacy.services import positions as service
from tests.browser.conftest import Watched
from tests.browser.test_cowriting import sign_in
from tests.collab import CollabProcess, free_port

BODY = (
    "Les structures de l'ESS portent 15 000 établissements en Pays de la Loire.\n\n"
    "## Constat\n\nL'emploi dans l'ESS progresse mais reste fragile.\n\n"
    "## Propositions\n\n- Relocaliser les achats publics\n  - par des lots plus petits\n\n"
    "Voir le plan stratégique[^1].\n\n"
    "[^1]: [CRESS Pays de la Loire](https://www.cress-pdl.org/).\n"
)
COLLAB_PORT = free_port()


@pytest.fixture
def app_config():
    return {"COLLAB_URL": f"ws://127.0.0.1:{COLLAB_PORT}/collab"}


@pytest.fixture
def collab_server(database_url, tmp_path, live_server):
    process = CollabProcess(database_url, tmp_path, {}, port=COLLAB_PORT).start()
    yield process
    process.stop()


@pytest.fixture
def cowritten(db, create_network, create_user):
    lead = create_network(name="Union régionale des Scop", slug="urscop")
    mutual = create_network(name="Mutuelle solidaire de Vendée", slug="mutuelle-85")
    anne = create_user(
        email="anne@example.org", display_name="Anne Scop", networks=[lead]
    )
    bruno = create_user(
        email="bruno@example.org", display_name="Bruno Mutuelle", networks=[mutual]
    )
    position = service.create_position(
        title="Pour un emploi durable dans l'ESS",
        summary="Trois demandes pour la stratégie régionale.",
        body=BODY,
        lead=lead,
        themes=[],
        arenas=[],
        by=anne,
    )
    service.add_coauthor(position, mutual, by=anne)
    db.session.commit()
    return position, anne, bruno


LIVE_TEXT = (
    "document.querySelector('[data-live]').liveEditor.doc.getText('body').toString()"
)


def live_text(page) -> str:
    """The text as the page's document holds it (the editor also shows others' names)."""
    return page.evaluate(LIVE_TEXT)


def shows(page, fragment: str, timeout: float = 5000) -> None:
    """Wait until the page's text holds ``fragment``."""
    page.wait_for_function(
        f"fragment => {LIVE_TEXT}.includes(fragment)", arg=fragment, timeout=timeout
    )


def open_live(page, base_url, position_id):
    page.goto(f"{base_url}/positions/{position_id}/edit")
    expect(page.locator("[data-live]")).to_be_visible(timeout=10_000)
    expect(page.locator("[data-live-status]")).to_contain_text("Connecté")
    return page.locator("[data-live-field=body] .cm-content")


def test_two_networks_write_one_position_live(
    browser, base_url, collab_server, cowritten, check_a11y, db
):
    position, anne, bruno = cowritten
    contexts = [browser.new_context(locale="fr-FR") for _ in range(2)]
    watched = [Watched(c.new_page()) for c in contexts]
    a, b = (w.page for w in watched)
    try:
        sign_in(a, base_url, anne.email)
        sign_in(b, base_url, bruno.email)
        a_body = open_live(a, base_url, position.id)
        b_body = open_live(b, base_url, position.id)
        # the plain form gives way to the live editor; each sees who is in the text
        expect(
            a.get_by_role("button", name="Enregistrer une nouvelle version")
        ).to_be_hidden()
        people = a.locator("[data-live-people]")
        expect(people).to_contain_text("Bruno Mutuelle (Mutuelle solidaire de Vendée)")
        expect(b.locator("[data-live-people]")).to_contain_text(
            "Anne Scop (Union régionale des Scop)"
        )
        check_a11y(a)

        # What Anne types appears for Bruno within a second, and the other way round.
        a_body.click()
        a.keyboard.press("Control+Home")
        a.keyboard.type("En 2026, ")
        shows(b, "En 2026, Les structures", timeout=1000)
        b_body.click()
        b.keyboard.press("Control+End")
        b.keyboard.type("Bruno ajoute une ligne.")
        shows(a, "Bruno ajoute une ligne.", timeout=1000)
        # Bruno's caret shows in Anne's editor, in his colour, with his name
        expect(a.locator(".cm-ySelectionCaret")).to_have_count(1)

        # Both type in the same paragraph at once: both texts survive.
        for page, body in ((a, a_body), (b, b_body)):
            body.get_by_text("reste fragile.").click()
            page.keyboard.press("End")
        a.keyboard.type(" Surtout en Vendée.")
        b.keyboard.type(" Et dans la Sarthe.")
        for page in (a, b):
            shows(page, "Surtout en Vendée.")
            shows(page, "Et dans la Sarthe.")

        # Bruno goes offline, keeps writing, comes back: the texts converge.
        b.evaluate(
            "document.querySelector('[data-live]').liveEditor.provider.disconnect()"
        )
        expect(b.locator("[data-live-status]")).to_contain_text("Hors ligne")
        b_body.get_by_text("Bruno ajoute une ligne.").click()
        b.keyboard.press("End")
        b.keyboard.type(" Écrit hors ligne.")
        a.keyboard.type(" Pendant ce temps.")
        b.evaluate(
            "document.querySelector('[data-live]').liveEditor.provider.connect()"
        )
        shows(a, "Écrit hors ligne.")
        shows(b, "Pendant ce temps.")
        a.wait_for_function(f"text => {LIVE_TEXT} === text", arg=live_text(b))

        # The title is written live too, on one line.
        a.locator("[data-live-field=title] .cm-content").click()
        a.keyboard.press("End")
        a.keyboard.press("Enter")
        a.keyboard.type(" en Pays de la Loire")
        b.wait_for_function(
            "() => document.querySelector('[data-live]').liveEditor.doc"
            ".getText('title').toString() === "
            '"Pour un emploi durable dans l\'ESS en Pays de la Loire"'
        )

        # Tab leaves the text (no keyboard trap); the toolbar is reached by keyboard.
        a_body.focus()
        a.keyboard.press("Shift+Tab")
        expect(a.get_by_role("button", name="Aperçu")).to_be_focused()
        a.keyboard.press("Tab")
        expect(a_body).to_be_focused()
        a.keyboard.press("Tab")
        expect(a_body).not_to_be_focused()
        # The toolbar writes Markdown for the person, from the keyboard too.
        a_body.get_by_text("Bruno ajoute une ligne.").click()
        a.keyboard.press("End")
        a.get_by_role("button", name="Note de bas de page").click()
        a.keyboard.type("Insee, 2025.")
        shows(b, "[^2]: Insee, 2025.")

        # Anne saves a version: it credits both of them, sections keep their ids.
        sections_before = [s["id"] for s in position.current_revision.sections]
        a.get_by_role("textbox", name="Ce qui a changé").fill("écrit à deux")
        a.get_by_role("button", name="Enregistrer une version").click()
        expect(a.get_by_text("Enregistré comme version 2.")).to_be_visible()
        a.goto(f"{base_url}/positions/{position.id}/history")
        expect(a.locator("table.history")).to_contain_text(
            "Écrit ensemble par Anne Scop (Union régionale des Scop),"
            " Bruno Mutuelle (Mutuelle solidaire de Vendée)"
        )
        check_a11y(a)
    finally:
        for w in watched:
            assert w.errors == [] and w.dialogs == [], (w.errors, w.dialogs)
        for context in contexts:
            context.close()
    db.session.expire_all()
    revision = db.session.scalars(
        sa.select(Revision).where(
            Revision.position_id == position.id, Revision.number == 2
        )
    ).one()
    assert (
        "Écrit hors ligne." in revision.body and "[^2]: Insee, 2025." in revision.body
    )
    assert (
        "[^1]: [CRESS Pays de la Loire](https://www.cress-pdl.org/)." in revision.body
    )
    assert (
        "- Relocaliser les achats publics\n  - par des lots plus petits"
        in revision.body
    )
    assert [s["id"] for s in revision.sections] == sections_before
    credited = db.session.scalars(
        sa.select(RevisionContributor.user_id)
        .where(RevisionContributor.revision_id == revision.id)
        .order_by(RevisionContributor.id)
    ).all()
    assert credited == [anne.id, bruno.id]


@pytest.fixture
def unreachable(app_config):
    """The edit page points at a collaboration server that does not answer."""
    app_config["COLLAB_URL"] = f"ws://127.0.0.1:{free_port()}/collab"


def test_when_the_room_cannot_be_reached_the_plain_form_takes_over(
    browser, base_url, unreachable, cowritten, check_a11y
):
    position, anne, _bruno = cowritten
    context = browser.new_context(locale="fr-FR")
    watched = Watched(context.new_page())
    page = watched.page
    try:
        sign_in(page, base_url, anne.email)
        page.goto(f"{base_url}/positions/{position.id}/edit")
        # the plain form is usable at once, and says why after a few seconds
        text = page.get_by_role("textbox", name="Texte", exact=True)
        expect(text).to_be_visible()
        expect(page.locator("[data-live-fallback]")).to_contain_text(
            "Le texte partagé est injoignable", timeout=12_000
        )
        expect(page.locator("[data-live]")).to_be_hidden()
        check_a11y(page)
        text.fill(BODY + "\nÉcrit sans le texte partagé.\n")
        page.get_by_role("button", name="Enregistrer une nouvelle version").click()
        expect(page.get_by_text("Enregistré comme version 2.")).to_be_visible()
    finally:
        # the browser reports the refused connections; nothing else may fail
        others = [e for e in watched.errors if "WebSocket connection" not in e]
        assert others == [] and watched.dialogs == [], (others, watched.dialogs)
        context.close()


def test_an_editor_whose_pass_expired_gets_a_new_one_and_goes_on(
    browser, base_url, database_url, tmp_path, live_server, cowritten, db
):
    position, anne, _bruno = cowritten
    process = CollabProcess(
        database_url, tmp_path, {"COLLAB_TOKEN_SECONDS": 2}, port=COLLAB_PORT
    ).start()
    context = browser.new_context(locale="fr-FR")
    watched = Watched(context.new_page())
    page = watched.page
    try:
        sign_in(page, base_url, anne.email)
        open_live(page, base_url, position.id)
        page.wait_for_timeout(2500)  # the pass the page came with has expired
        page.evaluate(
            "document.querySelector('[data-live]').liveEditor.provider.disconnect()"
        )
        page.evaluate(
            "document.querySelector('[data-live]').liveEditor.provider.connect()"
        )
        expect(page.locator("[data-live-status]")).to_contain_text("Connecté")
        page.locator("[data-live-field=body] .cm-content").click()
        page.keyboard.press("Control+End")
        page.keyboard.type(" Après un nouveau laissez-passer.")
        shows(page, "Après un nouveau laissez-passer.")
        # what was typed reached the server: it is stored
        for _ in range(50):
            db.session.rollback()
            if "laissez-passer" in live.read(position.id).texts["body"]:
                break
            page.wait_for_timeout(100)
    finally:
        others = [e for e in watched.errors if "WebSocket connection" not in e]
        assert others == [] and watched.dialogs == [], (others, watched.dialogs)
        context.close()
        process.stop()
    assert "Après un nouveau laissez-passer." in live.read(position.id).texts["body"]
