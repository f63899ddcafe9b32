"""Language: the French catalogue is complete, the locale is chosen in the right order."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, format_datetime

from tests.conftest import login

CATALOGUE = (
    Path(__file__).resolve().parents[2]
    / "advocacy/translations/fr/LC_MESSAGES/messages.po"
)
TEMPLATE = CATALOGUE.parents[2] / "messages.pot"


def test_the_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    missing = [
        m.id
        for m in catalogue
        if m.id
        and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))
    ]
    assert missing == []


def test_the_french_catalogue_covers_every_extracted_string():
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    absent = [m.id for m in template if m.id and m.id not in catalogue]
    assert absent == [], "run `flask --debug translate update` and translate"


def test_placeholders_survive_translation():
    import re

    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    pattern = re.compile(r"%\((\w+)\)[sd]")
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        expected = set(pattern.findall(ids[-1]))
        for string in strings:
            assert set(pattern.findall(string)) <= expected | set(
                pattern.findall(ids[0])
            ), ids


def test_french_by_default(client):
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)


def test_accept_language_is_followed(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html and "Skip to content" in html


def test_the_switch_cookie_beats_accept_language(client):
    response = client.post("/language", data={"language": "en", "next": "/about"})
    assert response.status_code == 302 and response.headers["Location"] == "/about"
    assert "lang=en" in response.headers["Set-Cookie"]
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_visitors_switch_with_a_link_and_get_no_session(client):
    page = client.get("/statements/?page=1")
    assert "Set-Cookie" not in page.headers  # a public page needs no session
    html = page.get_data(as_text=True)
    assert 'href="/language/en?next=/statements/?page%3D1"' in html
    response = client.get("/language/en?next=/statements/?page%3D1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/statements/?page=1"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/language/de", "/language/" + "x" * 300])
def test_an_unknown_language_link(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert client.get("/language/en?next=//evil.example").headers["Location"] == "/"


def test_the_users_preference_beats_the_cookie(client, representative, db):
    representative.locale = "en"
    db.session.commit()
    client.set_cookie("lang", "fr")
    login(client, representative)
    assert '<html lang="en">' in client.get("/workspace/").get_data(as_text=True)


def test_switching_while_signed_in_updates_the_preference(client, representative, db):
    from advocacy.models import User

    login(client, representative)
    client.post("/language", data={"language": "en"})
    assert db.session.get(User, representative.id).locale == "en"


@pytest.mark.parametrize("data", [{"language": "de"}, {}, {"language": "x" * 500}])
def test_a_bad_language_is_refused(client, data):
    response = client.post("/language", data=data)
    assert response.status_code == 400
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_the_switch_never_redirects_off_site(client):
    response = client.post(
        "/language", data={"language": "en", "next": "//evil.example"}
    )
    assert response.headers["Location"] == "/"


def test_dates_are_shown_in_paris_time_for_the_locale(app):
    moment = datetime(2026, 7, 14, 10, 30, tzinfo=UTC)
    assert format_datetime(moment, "short") == "14/07/2026 12:30"
    with force_locale("en"):
        assert format_datetime(moment, "short") == "7/14/26, 12:30\u202fPM"
