"""Sessions end on the server: two app processes, one browser, the same cookie.

Each process stands for an app host behind a load balancer. A session ended on one
(sign-out, a new password, a deactivation) is refused by the other at once.
"""

import re

import pytest
import requests

from tests.conftest import PASSWORD

NEW_PASSWORD = "copper meadow lantern seventy"


def token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


class Browser:
    """One browser: one cookie jar, whichever host answers."""

    def __init__(self):
        self.http = requests.Session()

    def get(self, url):
        return self.http.get(url, allow_redirects=False, timeout=10)

    def post(self, url, page_url, **data):
        data["csrf_token"] = token(self.http.get(page_url, timeout=10).text)
        return self.http.post(url, data=data, allow_redirects=False, timeout=10)

    def sign_in(self, host, email, password=PASSWORD):
        response = self.post(
            f"{host}/login", f"{host}/login", email=email, password=password
        )
        assert response.status_code == 302, response.text[:500]

    def signed_in(self, host) -> bool:
        response = self.get(f"{host}/account")
        assert response.status_code in (200, 302)
        return response.status_code == 200

    def cookie(self) -> str:
        return self.http.cookies.get("session")

    @classmethod
    def with_cookie(cls, value):
        browser = cls()
        browser.http.cookies.set("session", value)
        return browser


@pytest.fixture
def hosts(app_processes):
    return app_processes(2)


def test_sign_out_on_one_host_ends_the_session_on_the_other(hosts, representative):
    one, two = hosts
    browser = Browser()
    browser.sign_in(one, representative.email)
    saved = browser.cookie()
    assert browser.signed_in(one) and browser.signed_in(two)
    response = browser.post(f"{two}/logout", f"{two}/account")
    assert response.status_code == 302
    replay = Browser.with_cookie(saved)  # a copy of the cookie kept from before
    assert not replay.signed_in(one)
    assert not replay.signed_in(two)


def test_a_new_password_ends_the_other_sessions_on_every_host(hosts, representative):
    one, two = hosts
    laptop, phone = Browser(), Browser()
    laptop.sign_in(one, representative.email)
    phone.sign_in(two, representative.email)
    response = laptop.post(
        f"{two}/account/password",
        f"{two}/account",
        current_password=PASSWORD,
        password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    assert response.status_code == 302
    assert laptop.signed_in(one) and laptop.signed_in(two)
    assert not phone.signed_in(one) and not phone.signed_in(two)


def test_deactivation_ends_the_sessions_on_every_host(hosts, representative, staff):
    one, two = hosts
    person, admin = Browser(), Browser()
    person.sign_in(one, representative.email)
    assert person.signed_in(two)
    admin.sign_in(two, staff.email)
    response = admin.post(
        f"{two}/admin/people/{representative.id}/deactivate",
        f"{two}/admin/people/{representative.id}",
    )
    assert response.status_code == 302
    assert not person.signed_in(one) and not person.signed_in(two)


def test_sign_out_everywhere_from_one_host(hosts, representative):
    one, two = hosts
    first, second = Browser(), Browser()
    first.sign_in(one, representative.email)
    second.sign_in(two, representative.email)
    response = first.post(f"{one}/account/sessions/end", f"{one}/account")
    assert response.status_code == 302
    for browser in (first, second):
        assert not browser.signed_in(one) and not browser.signed_in(two)
