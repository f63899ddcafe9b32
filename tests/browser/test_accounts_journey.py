"""A person's first steps, in Chromium: invited by staff, joins, switches language, leaves."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD, read_outbox

NEW_PASSWORD = "copper meadow lantern violin"


def sign_in(page, base_url, email, password):
    page.goto(f"{base_url}/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_invited_person_joins_switches_language_and_signs_out(
    page, base_url, live_server, staff, network, check_a11y
):
    page.goto(base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    check_a11y(page)

    # Staff invite a representative.
    sign_in(page, base_url, staff.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/workspace/$"))
    check_a11y(page)
    page.goto(f"{base_url}/admin/people/invite")
    check_a11y(page)
    page.get_by_label("Adresse électronique").fill("claire.hamon@example.org")
    page.get_by_label("Réseau").select_option(label=network.name)
    page.get_by_label("Rôle").select_option("coordinator")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(
        page.get_by_text("Une invitation a été envoyée à claire.hamon@example.org.")
    ).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Se déconnecter", exact=True).click()
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()

    # The invitation arrives in the file outbox; the person follows it.
    (message,) = read_outbox(live_server)
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(base_url) + r"/invitations/\S+", body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(network.name)
    check_a11y(page)

    # A weak password is refused with a message tied to its field.
    page.get_by_label("Votre nom").fill("Claire Hamon")
    page.get_by_label("Nouveau mot de passe").fill("motdepasse")
    page.get_by_label("Confirmez le mot de passe").fill("motdepasse")
    page.get_by_role("button", name="Créer mon compte").click()
    password_field = page.get_by_label("Nouveau mot de passe")
    expect(password_field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("au moins 12 caractères")
    check_a11y(page)

    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(
        page.get_by_text(f"Bienvenue ! Vous représentez désormais {network.name}.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible()
    check_a11y(page)

    # Switch to English: the page and the preference follow.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My workspace")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Claire Hamon").click()
    expect(page.get_by_role("heading", name="My account", level=1)).to_be_visible()
    expect(page.get_by_label("Language", exact=True)).to_have_value("en")
    check_a11y(page)

    # Sign out, then back in with the new password: still in English.
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(f"{base_url}/login")
    page.get_by_label("Email address").fill("claire.hamon@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My workspace")).to_be_visible()
    expect(page.get_by_role("link", name=network.name)).to_be_visible()


def test_error_and_info_pages_are_accessible(page, base_url, check_a11y):
    for path in (
        "/about",
        "/accessibility",
        "/password/reset",
        "/no-such-page",
        "/invitations/forged",
    ):
        page.goto(base_url + path)
        expect(page.locator("main h1")).to_be_visible()
        check_a11y(page)


def test_the_accessibility_check_does_catch_violations(page, base_url, axe):
    """Guards the guard: axe must run under our CSP and report a real problem."""
    page.goto(base_url + "/")
    page.evaluate(
        "document.querySelector('main').append(document.createElement('img'))"
    )
    page.evaluate("""() => { const i = document.createElement('input');
                             document.querySelector('main').append(i); }""")
    results = axe.run(page)
    assert results.violations_count >= 2
