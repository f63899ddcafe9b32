"""From the board to the public, in Chromium.

The text was drafted, amended by another network, consulted on and voted (the
other journeys take those steps in the browser; here the services do). Then, in
the browser: the lead submits it to the board, two board members approve, staff
release it, a network co-signs, staff record a follow-up — and the public finds
it by the list and its filters, the search, the feed, the PDF and the API, with
its signatories, where its parts came from and what became of it.
"""

import io
import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from advocacy.models import AmendmentKind, Arena, BallotChoice, Theme, utcnow
from advocacy.services import amendments, consolidation, consultation, votes
from advocacy.services import positions as service
from tests.browser.conftest import Watched
from tests.browser.test_cowriting import sign_in

TITLE = "Pour une commande publique responsable"


@pytest.fixture
def app_config():
    # the served pages go through the public page cache, as in production
    return {"PUBLIC_CACHE_ENTRIES": 200}


@pytest.fixture
def consolidated(app, db, create_network, create_user):
    """A position amended by a second network, voted and consolidated."""
    lead = create_network(name="Union régionale des Scop", slug="urscop")
    partner = create_network(name="Mutuelle solidaire de Vendée", slug="mutuelle-85")
    anne = create_user(
        email="anne@example.org", display_name="Anne Scop", networks=[lead]
    )
    paul = create_user(
        email="paul@example.org", display_name="Paul Mutuelle", networks=[partner]
    )
    theme = Theme(slug="emploi", name_fr="Emploi durable", name_en="Employment")
    db.session.add(theme)
    db.session.commit()
    position = service.create_position(
        title=TITLE,
        summary="Trois demandes pour des achats publics responsables.",
        body="Introduction.\n\n# Constat\n\nLes achats ignorent l'ESS.\n\n"
        "# Propositions\n\nAllotir les marchés.",
        lead=lead,
        themes=[theme],
        arenas=[Arena.REGIONAL],
        by=anne,
    )
    consultation.open_consultation(
        position, closes_at=utcnow() + timedelta(days=1), message="", by=anne
    )
    section = position.current_revision.sections[2]["id"]
    amendment, _ = amendments.file_amendment(
        position,
        section_id=section,
        kind=AmendmentKind.REPLACE,
        proposed="# Propositions\n\nAllotir les marchés et réserver des lots"
        " aux structures d'insertion.",
        rationale="L'insertion doit y trouver sa place.",
        network=partner,
        by=paul,
        form_token=amendments.new_form_token(),
    )
    amendments.decide_amendment(
        amendment, position, decision="to_vote", reason="", by=anne
    )
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    for motion in votes.open_vote(
        position, closes_at=utcnow() + timedelta(days=1), by=anne
    ):
        for voter, network in ((anne, lead), (paul, partner)):
            votes.cast_ballot(
                motion, position, network=network, choice=BallotChoice.FOR, by=voter
            )
    position.vote_closes_at = utcnow() - timedelta(seconds=1)
    votes.close_vote(position, by=anne)
    consolidation.apply_amendments(position, by=anne)
    db.session.commit()
    return position, anne, paul


def test_from_the_board_to_the_public(
    browser, base_url, live_server, consolidated, create_user, staff, check_a11y
):
    position, anne, paul = consolidated
    members = [
        create_user(
            email=f"ca{i}@example.org",
            display_name=f"Administratrice {i}",
            is_board=True,
        )
        for i in range(2)
    ]
    contexts = [browser.new_context(locale="fr-FR") for _ in range(6)]
    watched = [Watched(c.new_page()) for c in contexts]
    lead, first, second, team, signer, public = (w.page for w in watched)
    try:
        # The public already reads the list (the cache keeps it).
        public.goto(f"{base_url}/statements/")
        expect(
            public.get_by_text("Aucune déclaration n'a encore été publiée.")
        ).to_be_visible()

        # The lead attaches the study behind the text, then submits it.
        sign_in(lead, base_url, anne.email)
        lead.goto(f"{base_url}/positions/{position.id}/annexes")
        lead.get_by_label("Fichier", exact=True).set_input_files(
            files=[
                {
                    "name": "Achats publics - état des lieux.pdf",
                    "mimeType": "application/pdf",
                    "buffer": b"%PDF-1.4\n%%EOF\n",
                }
            ]
        )
        lead.get_by_role("button", name="Joindre", exact=True).click()
        expect(
            lead.get_by_text("« Achats publics - état des lieux.pdf » est joint.")
        ).to_be_visible()
        lead.goto(f"{base_url}/positions/{position.id}")
        lead.get_by_role("button", name="Soumettre au CA").click()
        # cancelled first: nothing happens
        lead.get_by_role("dialog").get_by_role("button", name="Annuler").click()
        expect(lead.get_by_role("dialog")).to_have_count(0)
        lead.get_by_role("button", name="Soumettre au CA").click()
        lead.get_by_role("button", name="Oui, soumettre au CA").click()
        expect(lead.get_by_text("Le texte a été soumis au CA.")).to_be_visible()

        # Two board members approve it.
        for page, member in zip((first, second), members, strict=True):
            sign_in(page, base_url, member.email)
            page.get_by_role(
                "link", name="Conseil d'administration", exact=True
            ).click()
            expect(page.get_by_text("En attente de votre décision")).to_be_visible()
            check_a11y(page)
            page.get_by_role("link", name=TITLE).click()
            check_a11y(page)
            page.get_by_role("combobox", name="Votre avis").select_option("approve")
            page.get_by_label("Motivation").fill("Texte solide, porté par le réseau.")
            page.get_by_role("button", name="Enregistrer mon avis").click()
        expect(second.get_by_text("le CA a approuvé le texte")).to_be_visible()

        # Staff release it from the publications page.
        sign_in(team, base_url, staff.email)
        team.get_by_role("link", name="Publications").click()
        check_a11y(team)
        team.get_by_role("checkbox", name=TITLE).check()
        team.get_by_role("radio", name="Maintenant").check()
        team.get_by_role("button", name="Publier ou programmer").click()
        # a publication asks first, restating what follows
        dialog = team.get_by_role("dialog", name="Publier la déclaration ?")
        expect(dialog).to_contain_text("ne pourra plus être modifiée")
        check_a11y(team)
        dialog.get_by_role("button", name="Oui, publier la déclaration").click()
        expect(team.get_by_text("1 déclaration a été publiée.")).to_be_visible()

        # A network co-signs; staff record what became of it.
        sign_in(signer, base_url, paul.email)
        check_a11y(signer)  # the workspace: ballots, consultations, news, activity
        signer.get_by_role("link", name="Toutes mes notifications").click()
        expect(signer.get_by_text(f"« {TITLE} » est publiée.")).to_be_visible()
        check_a11y(signer)
        signer.get_by_role("link", name="Choix des courriels").click()
        signer.get_by_label("Votes").select_option("never")
        signer.get_by_role("button", name="Enregistrer mes choix").click()
        expect(signer.get_by_text("Vos choix sont enregistrés.")).to_be_visible()
        check_a11y(signer)
        signer.goto(f"{base_url}/statements/pour-une-commande-publique-responsable")
        signer.get_by_role(
            "button", name="Cosigner pour Mutuelle solidaire de Vendée"
        ).click()
        expect(
            signer.get_by_text("cosigne désormais cette déclaration")
        ).to_be_visible()
        team.goto(f"{base_url}/statements/pour-une-commande-publique-responsable")
        team.get_by_text("Enregistrer une suite").click()
        team.get_by_label("Date").fill("2026-11-20")
        team.get_by_label("Ce qui s'est passé").select_option("sent")
        team.get_by_label("Description").fill("Adressée au Conseil régional.")
        team.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(team.get_by_text("La suite a été enregistrée.")).to_be_visible()

        # The public: the list (no stale page), a filter, the statement itself.
        public.reload()
        # the network filter suggests networks as their name is typed
        network = public.locator("#network")
        network.press_sequentially("solidaire de Ven")
        expect(
            public.locator(
                "#network-suggestions option[label='Mutuelle solidaire de Vendée']"
            )
        ).to_have_count(1)
        network.fill("")
        public.get_by_label("Échelon").select_option("regional")
        public.get_by_role("button", name="Filtrer").click()
        check_a11y(public)
        public.get_by_role("link", name=TITLE).click()
        text = public.locator(".text.rendered")
        expect(text).to_contain_text("réserver des lots aux structures d'insertion")
        expect(
            public.get_by_text("proposé par Mutuelle solidaire de Vendée")
        ).to_be_visible()
        signatories = public.locator("#signatories")
        expect(signatories).to_contain_text("Mutuelle solidaire de Vendée")
        expect(public.locator("#follow-ups")).to_contain_text(
            "Adressée au Conseil régional."
        )
        for name in ("Administratrice", "Anne Scop", "Paul Mutuelle"):
            expect(public.get_by_text(name)).to_have_count(0)
        # the annex was frozen into the published version: anyone downloads it
        annex = public.locator("#annexes").get_by_role(
            "link", name="Achats publics - état des lieux.pdf"
        )
        with public.expect_download() as download:
            annex.click()
        assert (
            download.value.suggested_filename == "Achats publics - état des lieux.pdf"
        )
        check_a11y(public)

        # The search, with neither accents nor the same ending.
        public.goto(f"{base_url}/search?q=structure+insertion")
        expect(public.locator(".search-results mark").first).to_be_visible()
        public.get_by_role("link", name=TITLE).click()
        expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
        public.goto(f"{base_url}/search?q=marches")
        check_a11y(public)

        # The feed, the PDF and the API.
        request = public.context.request
        feed = request.get(f"{base_url}/statements.atom?theme=emploi")
        assert feed.ok and TITLE in feed.text()
        pdf = request.get(
            f"{base_url}/statements/pour-une-commande-publique-responsable.pdf"
        )
        assert pdf.headers["content-type"] == "application/pdf"
        pages = PdfReader(io.BytesIO(pdf.body())).pages
        assert "Mutuelle solidaire de Vendée" in "".join(
            p.extract_text() for p in pages
        )
        api = json.loads(
            request.get(f"{base_url}/api/v1/statements?arena=regional").text()
        )
        assert [s["title"] for s in api["data"]] == [TITLE]
        one = json.loads(
            request.get(
                f"{base_url}/api/v1/statements/pour-une-commande-publique-responsable"
            ).text()
        )
        assert one["signatories"][0]["network"]["slug"] == "mutuelle-85"
        assert one["follow_ups"][0]["text"] == "Adressée au Conseil régional."
        assert any(s["network"] for s in one["current_version"]["sections"])
        public.goto(f"{base_url}/indicators")
        check_a11y(public)
        public.goto(f"{base_url}/networks/mutuelle-85")
        expect(public.get_by_text(TITLE)).to_have_count(1)
        check_a11y(public)
        assert request.get(f"{base_url}/positions/{position.id}").status == 404
    finally:
        for w in watched:
            assert w.errors == [] and w.dialogs == [], (w.errors, w.dialogs)
        for context in contexts:
            context.close()
