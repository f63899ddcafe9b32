"""From the board to the public: two board members approve, staff publish, anyone reads."""

from datetime import timedelta

from playwright.sync_api import expect

from advocacy.models import BallotChoice, utcnow
from advocacy.services import board, consultation, votes
from advocacy.services import positions as service
from tests.browser.conftest import Watched
from tests.browser.test_cowriting import sign_in


def test_board_approves_staff_publish_public_reads(
    app,
    browser,
    base_url,
    live_server,
    create_network,
    create_user,
    staff,
    db,
    check_a11y,
):
    lead = create_network(name="Union régionale des Scop")
    anne = create_user(
        email="anne@example.org", display_name="Anne Scop", networks=[lead]
    )
    members = [
        create_user(
            email=f"ca{i}@example.org",
            display_name=f"Administratrice {i}",
            is_board=True,
        )
        for i in range(2)
    ]
    with app.test_request_context():
        position = service.create_position(
            title="Pour une commande publique responsable",
            summary="Trois demandes.",
            body="Introduction.\n\n# Propositions\n\nAllotir les marchés.",
            lead=lead,
            themes=[],
            arenas=[],
            by=anne,
        )
        consultation.open_consultation(
            position, closes_at=utcnow() + timedelta(days=1), message="", by=anne
        )
        position.consultation_closes_at = utcnow() - timedelta(seconds=1)
        (motion,) = votes.open_vote(
            position, closes_at=utcnow() + timedelta(days=1), by=anne
        )
        votes.cast_ballot(
            motion, position, network=lead, choice=BallotChoice.FOR, by=anne
        )
        position.vote_closes_at = utcnow() - timedelta(seconds=1)
        votes.close_vote(position, by=anne)
        board.submit_to_board(position, by=anne)
    db.session.commit()

    contexts = [browser.new_context(locale="fr-FR") for _ in range(4)]
    watched = [Watched(c.new_page()) for c in contexts]
    first, second, team, public = (w.page for w in watched)
    try:
        for page, member in zip((first, second), members, strict=True):
            sign_in(page, base_url, member.email)
            page.get_by_role("link", name="Conseil d'administration").click()
            expect(page.get_by_text("En attente de votre décision")).to_be_visible()
            check_a11y(page)
            page.get_by_role(
                "link", name="Pour une commande publique responsable"
            ).click()
            check_a11y(page)
            page.get_by_role("combobox", name="Votre avis").select_option("approve")
            page.get_by_label("Motivation").fill("Texte solide, porté par le réseau.")
            page.get_by_role("button", name="Enregistrer mon avis").click()
        expect(second.get_by_text("le CA a approuvé le texte")).to_be_visible()

        sign_in(team, base_url, staff.email)
        team.goto(f"{base_url}/positions/{position.id}")
        team.get_by_role("button", name="Publier la déclaration").click()
        expect(team.get_by_role("heading", level=1)).to_have_text(
            "Pour une commande publique responsable"
        )
        check_a11y(team)

        public.goto(f"{base_url}/statements/")
        check_a11y(public)
        public.get_by_role(
            "link", name="Pour une commande publique responsable"
        ).click()
        expect(public.locator(".text.rendered")).to_contain_text("Allotir les marchés.")
        expect(
            public.get_by_text("Texte solide, porté par le réseau.").first
        ).to_be_visible()
        expect(public.get_by_text("Administratrice")).to_have_count(0)
        check_a11y(public)
        public.goto(f"{base_url}/networks/")
        check_a11y(public)
        assert (
            public.context.request.get(f"{base_url}/positions/{position.id}").status
            == 404
        )
    finally:
        for w in watched:
            assert w.errors == [] and w.dialogs == [], (w.errors, w.dialogs)
        for context in contexts:
            context.close()
