"""Three networks comment, amend and vote on a position; the text keeps who wrote what."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from advocacy.models import Department, EssFamily, Position, utcnow
from advocacy.services import positions as service
from tests.browser.conftest import Watched
from tests.browser.test_cowriting import sign_in

TEXT = """Les structures de l'ESS portent 15 000 établissements en Pays de la Loire.

# Constat

L'emploi dans l'ESS progresse mais reste fragile.

# Propositions

Relocaliser les achats publics auprès des entreprises de l'ESS."""


def test_consult_amend_vote_and_consolidate(
    app, browser, base_url, live_server, create_network, create_user, db, check_a11y
):
    lead = create_network(
        name="Union régionale des Scop",
        family=EssFamily.COOPERATIVE,
        department=Department.REGION,
    )
    mutual = create_network(
        name="Mutuelle solidaire de Vendée",
        family=EssFamily.MUTUAL,
        department=Department.VENDEE,
    )
    assoc = create_network(
        name="Association de Mayenne",
        family=EssFamily.ASSOCIATION,
        department=Department.MAYENNE,
    )
    anne = create_user(
        email="anne@example.org", display_name="Anne Scop", networks=[lead]
    )
    bruno = create_user(
        email="bruno@example.org", display_name="Bruno Mutuelle", networks=[mutual]
    )
    chloe = create_user(
        email="chloe@example.org", display_name="Chloé Asso", networks=[assoc]
    )
    position = service.create_position(
        title="Pour un emploi durable",
        summary="",
        body=TEXT,
        lead=lead,
        themes=[],
        arenas=[],
        by=anne,
    )
    db.session.commit()
    url = f"{base_url}/positions/{position.id}"

    contexts = [browser.new_context(locale="fr-FR") for _ in range(3)]
    watched = [Watched(c.new_page()) for c in contexts]
    a, b, c = (w.page for w in watched)
    try:
        for page, person in zip((a, b, c), (anne, bruno, chloe), strict=True):
            sign_in(page, base_url, person.email)

        # Anne opens the consultation.
        a.goto(url)
        a.get_by_label("Date et heure de clôture").fill("2030-06-30T18:00")
        a.get_by_label("Message aux membres").fill(
            "Vos remarques, section par section."
        )
        a.get_by_role("button", name="Ouvrir la consultation").click()
        expect(a.get_by_text("La consultation est ouverte")).to_be_visible()
        check_a11y(a)

        # Bruno comments on the "Constat" section, mentioning Anne: typing "@An"
        # suggests her; the arrow key and Enter write the mention.
        b.goto(url)
        b.get_by_label("Votre commentaire porte sur").select_option(label="Constat")
        box = b.get_by_label("Votre commentaire", exact=True)
        box.fill("Ajoutons les chiffres de la Vendée.")
        box.press_sequentially(" @An")
        suggestion = b.get_by_role(
            "button", name="Anne Scop — Union régionale des Scop"
        )
        expect(suggestion).to_be_visible()
        check_a11y(b)
        box.press("ArrowDown")
        expect(suggestion).to_be_focused()
        b.keyboard.press("Enter")
        expect(box).to_have_value("Ajoutons les chiffres de la Vendée. @[Anne Scop] ")
        b.get_by_role("button", name="Publier le commentaire").click()
        expect(b.get_by_text("Ajoutons les chiffres de la Vendée.")).to_be_visible()
        expect(b.get_by_role("link", name="@Anne Scop")).to_be_visible()
        a.goto(f"{base_url}/notifications/")
        expect(
            a.get_by_text("Bruno Mutuelle vous a mentionné·e, vous ou votre réseau")
        ).to_be_visible()
        expect(b.locator(".section-margin").nth(1)).to_contain_text("1 commentaire")
        check_a11y(b)

        # Chloé proposes an amendment, previews it, files it.
        c.goto(url)
        c.get_by_role("link", name="Proposer un amendement").first.click()
        check_a11y(c)
        c.get_by_role("link", name="Amender « Constat »").click()
        # the section's text is there to be edited, not retyped
        expect(c.get_by_label("Texte proposé")).to_have_value(re.compile("^# Constat"))
        c.get_by_label("Texte proposé").fill(
            "# Constat\n\nL'emploi dans l'ESS progresse, surtout en Mayenne, mais reste fragile."
        )
        c.get_by_label("Exposé des motifs").fill(
            "Les chiffres départementaux le montrent."
        )
        c.get_by_role("button", name="Prévisualiser la modification").click()
        expect(c.locator(".diff-rendered ins").first).to_contain_text(
            "surtout en Mayenne"
        )
        check_a11y(c)
        c.get_by_role("button", name="Déposer l'amendement").click()
        expect(c.get_by_text("L'amendement 1 a été déposé.")).to_be_visible()
        check_a11y(c)

        # Bruno supports it; Anne puts it to the vote.
        b.goto(f"{url}/amendments/1")
        b.get_by_role("button", name="Soutenir cet amendement").click()
        expect(b.get_by_text("Votre soutien a été enregistré.")).to_be_visible()

        # Chloé rewords it: the change shows as tracked changes; Bruno is told.
        c.goto(f"{url}/amendments/1")
        c.get_by_role("link", name="Reformuler cet amendement").click()
        proposed = c.get_by_label("Texte proposé")
        proposed.fill(proposed.input_value().replace("mais reste", "mais demeure"))
        c.get_by_role("button", name="Prévisualiser la modification").click()
        expect(c.locator(".diff-rendered del").first).to_contain_text("reste")
        check_a11y(c)
        c.get_by_role("button", name="Enregistrer cette formulation").click()
        expect(
            c.get_by_text("L'amendement 1 se lit désormais dans sa version 2.")
        ).to_be_visible()
        c.get_by_text("Ce qui a changé depuis la version 1").click()
        expect(c.locator(".amendment-versions ins").first).to_contain_text("demeure")
        check_a11y(c)
        a.goto(f"{url}/amendments/1")
        a.get_by_label("Décision", exact=True).select_option("to_vote")
        a.get_by_role("button", name="Enregistrer la décision").click()
        expect(a.get_by_text("La décision a été enregistrée.")).to_be_visible()

        # The consultation ends; Anne opens the vote.
        row = db.session.get(Position, position.id)
        row.consultation_closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        a.goto(url)
        a.get_by_label("Clôture du vote").fill("2030-07-15T18:00")
        a.get_by_role("button", name="Ouvrir le vote").click()
        expect(a.get_by_role("heading", name="Le vote", exact=True)).to_be_visible()

        # Each network votes on both motions.
        for page, (on_amendment, on_text) in zip(
            (a, b, c),
            [("Pour", "Pour"), ("Contre", "Pour"), ("Pour", "Abstention")],
            strict=True,
        ):
            page.goto(f"{url}/vote")
            page.locator("section.motion").nth(0).get_by_label(
                on_amendment, exact=True
            ).check()
            page.locator("section.motion").nth(0).get_by_role(
                "button", name="Voter"
            ).click()
            expect(page.get_by_text(re.compile("Vote enregistré pour"))).to_be_visible()
            page.locator("section.motion").nth(1).get_by_label(
                on_text, exact=True
            ).check()
            page.locator("section.motion").nth(1).get_by_role(
                "button", name="Voter"
            ).click()
            expect(page.get_by_text(re.compile("Vote enregistré pour"))).to_be_visible()
        expect(c.locator("section.motion").nth(0)).to_contain_text(
            "Participation : 3 sur 3"
        )
        check_a11y(c)

        # The closing date comes: the first reader sees it counted, with the
        # results by family and département, without anyone clicking.
        row = db.session.get(Position, position.id)
        row.vote_closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        a.goto(f"{url}/vote")
        first = a.locator("section.motion").nth(0)
        expect(first).to_contain_text("pour 2, contre 1, abstention 0")
        expect(first.locator("table.breakdown").first).to_contain_text("Coopérative")
        expect(first.locator("table.breakdown").nth(1)).to_contain_text("85 Vendée")
        check_a11y(a)

        # Consolidation writes the amendment, attributed to Chloé's network.
        a.goto(url)
        a.get_by_role(
            "button", name="Intégrer les amendements adoptés au texte"
        ).click()
        a.get_by_role("button", name="Oui, les écrire dans le texte").click()
        expect(a.get_by_text("Amendements intégrés au texte : 1.")).to_be_visible()
        expect(a.locator(".text.rendered")).to_contain_text("surtout en Mayenne")
        expect(
            a.get_by_text("Proposé par Association de Mayenne (amendement 1)")
        ).to_be_visible()
        check_a11y(a)
    finally:
        for w in watched:
            assert w.errors == [] and w.dialogs == [], (w.errors, w.dialogs)
        for context in contexts:
            context.close()
