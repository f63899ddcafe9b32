"""Three networks write a position together in their browsers; hostile text stays inert."""

import re

import pytest
from playwright.sync_api import expect

from advocacy.services import positions as service
from tests.browser.conftest import Watched
from tests.conftest import PASSWORD
from tests.unit.test_markup import HOSTILE

DRAFT = """Les structures de l'ESS portent 15 000 établissements en Pays de la Loire.

# Constat

L'emploi dans l'ESS progresse mais reste fragile.

# Propositions

Relocaliser les achats publics auprès des entreprises de l'ESS."""


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()


@pytest.fixture
def writers(create_network, create_user):
    lead = create_network(name="Union régionale des Scop", slug="urscop")
    mutual = create_network(name="Mutuelle solidaire de Vendée", slug="mutuelle-85")
    assoc = create_network(
        name="Mouvement associatif ligérien", slug="mouvement-associatif"
    )
    people = [
        create_user(
            email="anne@example.org", display_name="Anne Scop", networks=[lead]
        ),
        create_user(
            email="bruno@example.org", display_name="Bruno Mutuelle", networks=[mutual]
        ),
        create_user(
            email="chloe@example.org", display_name="Chloé Asso", networks=[assoc]
        ),
    ]
    return people, (lead, mutual, assoc)


def open_editor(page, base_url, position_id):
    page.goto(f"{base_url}/positions/{position_id}/edit")
    return page.get_by_label("Texte", exact=True)


def test_three_networks_write_together_and_nothing_is_lost(
    browser, base_url, live_server, writers, check_a11y
):
    (anne, bruno, chloe), (_lead, mutual, assoc) = writers
    contexts = [browser.new_context(locale="fr-FR") for _ in range(3)]
    watched = [Watched(c.new_page()) for c in contexts]
    a, b, c = (w.page for w in watched)
    try:
        for page, person in zip((a, b, c), (anne, bruno, chloe), strict=True):
            sign_in(page, base_url, person.email)

        # Anne starts the position and invites the two other networks.
        a.get_by_role("link", name="Positions").click()
        check_a11y(a)
        a.get_by_role("link", name="Lancer une position").click()
        a.get_by_label("Titre", exact=True).fill("Pour un emploi durable dans l'ESS")
        a.get_by_label("Résumé").fill("Trois demandes pour la stratégie régionale.")
        a.get_by_label("Texte", exact=True).fill(DRAFT)
        a.get_by_label("Régional").check()
        check_a11y(a)
        a.get_by_role("button", name="Créer la position").click()
        expect(a.get_by_role("heading", level=1)).to_have_text(
            "Pour un emploi durable dans l'ESS"
        )
        position_id = int(re.search(r"/positions/(\d+)", a.url).group(1))
        for network in (mutual, assoc):
            a.get_by_label("Réseau à inviter").select_option(label=network.name)
            a.get_by_role("button", name="Inviter comme co-auteur").click()
            expect(
                a.get_by_text(f"{network.name} co-écrit désormais cette position.")
            ).to_be_visible()
        check_a11y(a)

        # Bruno and Chloé open the editor at the same time, on the same version.
        b_text = open_editor(b, base_url, position_id)
        c_text = open_editor(c, base_url, position_id)
        check_a11y(b)
        b_text.fill(
            DRAFT.replace("reste fragile.", "reste fragile dans le Maine-et-Loire.")
        )
        b.get_by_label("Ce qui a changé").fill("précise le constat")
        b.get_by_role("button", name="Enregistrer une nouvelle version").click()
        expect(b.get_by_text("Enregistré comme version 2.")).to_be_visible()
        c_text.fill(
            DRAFT.replace(
                "Relocaliser les achats publics",
                "Relocaliser d'ici 2028 les achats publics",
            )
        )
        c.get_by_role("button", name="Enregistrer une nouvelle version").click()
        expect(
            c.get_by_text(re.compile("Bruno Mutuelle ont été fusionnées"))
        ).to_be_visible()
        text = c.locator(".text.rendered")
        expect(text).to_contain_text("fragile dans le Maine-et-Loire")
        expect(text).to_contain_text("Relocaliser d'ici 2028")

        # Anne and Bruno change the same sentence: Bruno is asked to choose.
        a_text = open_editor(a, base_url, position_id)
        b_text = open_editor(b, base_url, position_id)
        a_text.fill(
            a_text.input_value().replace(
                "15 000 établissements", "15 000 établissements et 162 000 emplois"
            )
        )
        a.get_by_role("button", name="Enregistrer une nouvelle version").click()
        expect(a.get_by_text("Enregistré comme version 4.")).to_be_visible()
        b_text.fill(
            b_text.input_value().replace(
                "15 000 établissements", "près de 15 000 établissements"
            )
        )
        b.get_by_role("button", name="Enregistrer une nouvelle version").click()
        expect(b.get_by_role("heading", level=1)).to_have_text(
            "Vos modifications entrent en conflit avec une version enregistrée entre-temps"
        )
        # the two wordings side by side, what differs marked on each
        expect(b.locator("pre.source").first.locator("del")).to_contain_text(
            "et 162 000 emplois"
        )
        expect(b.locator("pre.source").nth(1).locator("ins")).to_contain_text("près de")
        check_a11y(b)
        # no merge marker anywhere: Bruno settles the passage with a choice
        assert "<<<<<<<" not in b.content()
        passage = b.get_by_role("group", name="Texte")
        rewrite = passage.get_by_label("Le passage tel que vous l'écrivez")
        rewrite.fill(
            rewrite.input_value().replace(
                "près de 15 000 établissements",
                "près de 15 000 établissements et 162 000 emplois",
            )
        )
        passage.get_by_label("Le réécrire, ci-dessous").check()
        b.get_by_role("button", name="Enregistrer le texte résolu").click()
        expect(b.get_by_text("Enregistré comme version 5.")).to_be_visible()
        expect(b.locator(".text.rendered")).to_contain_text(
            "près de 15 000 établissements et 162 000 emplois"
        )

        # Every save is in the history; versions compare and restore.
        a.goto(f"{base_url}/positions/{position_id}/history")
        expect(a.locator("table.history tbody tr")).to_have_count(5)
        check_a11y(a)
        a.goto(f"{base_url}/positions/{position_id}/compare?from=1&to=5")
        # the change on the text as it reads: no Markdown left to decipher
        expect(a.locator(".diff-rendered ins").first).to_be_visible()
        expect(a.locator(".diff-rendered")).not_to_contain_text("# ")
        expect(a.locator(".diff-inline")).to_be_hidden()
        a.get_by_text("Voir la modification dans la source Markdown").click()
        expect(a.locator(".diff-inline ins").first).to_be_visible()
        check_a11y(a)
        a.get_by_label("Affichage").select_option("side")
        a.get_by_role("button", name="Comparer").click()
        expect(a.locator("table.diff-side")).to_be_visible()
        check_a11y(a)
        a.goto(f"{base_url}/positions/{position_id}/v1")
        check_a11y(a)
        a.get_by_role("button", name="Rétablir cette version").click()
        expect(
            a.get_by_text("La version 1 a été rétablie comme version 6.")
        ).to_be_visible()
        expect(a.locator(".text.rendered")).not_to_contain_text("162 000")

        # Anne attaches the study the text quotes; a disguised page is refused.
        a.get_by_role("link", name="Annexes").click()
        a.get_by_label("Fichier", exact=True).set_input_files(
            files=[
                {
                    "name": "Observatoire ESS 2026.pdf",
                    "mimeType": "application/pdf",
                    "buffer": b"%PDF-1.4\n%%EOF\n",
                }
            ]
        )
        a.get_by_role("button", name="Joindre", exact=True).click()
        expect(
            a.get_by_text("« Observatoire ESS 2026.pdf » est joint.")
        ).to_be_visible()
        expect(a.get_by_role("link", name="Observatoire ESS 2026.pdf")).to_be_visible()
        check_a11y(a)
        a.get_by_label("Fichier", exact=True).set_input_files(
            files=[{"name": "photo.png", "mimeType": "image/png", "buffer": b"<svg/>"}]
        )
        a.get_by_role("button", name="Joindre", exact=True).click()
        expect(a.get_by_text("ne peuvent pas être joints")).to_have_count(2)
        check_a11y(a)
    finally:
        for w in watched:
            assert w.errors == [] and w.dialogs == [], (w.errors, w.dialogs)
        for context in contexts:
            context.close()


def test_hostile_text_runs_no_script(app, page, base_url, live_server, writers, db):
    (anne, _b, _c), (lead, _m, _a) = writers
    position = service.create_position(
        title="<script>window.__pwned=1</script>Texte hostile",
        summary='"><img src=x onerror="window.__pwned=1">',
        body="\n\n".join(HOSTILE).replace("alert(1)", "window.__pwned=1"),
        lead=lead,
        themes=[],
        arenas=[],
        by=anne,
    )
    db.session.commit()
    sign_in(page, base_url, anne.email)
    page.goto(f"{base_url}/positions/{position.id}")
    expect(page.locator(".text.rendered")).to_be_visible()
    for path in ("", "/history", "/compare?from=1&to=1", "/edit"):
        page.goto(f"{base_url}/positions/{position.id}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None
    # The preview (fetched by the page's script) is sanitised the same way.
    page.get_by_role("button", name="Aperçu").click()
    expect(page.locator("[data-preview-target]")).to_contain_text("citation")
    assert page.evaluate("window.__pwned") is None
    assert (
        page.locator("[data-preview-target] script, [data-preview-target] img").count()
        == 0
    )
