"""The security baseline: CSRF, headers, cookies, sizes, rate limits, redirects, errors."""

import os
import uuid

import pytest
import sqlalchemy as sa

from advocacy.models import AuditEvent, Network
from tests.conftest import (
    PASSWORD,
    csrf_token_from,
    login,
    page_text,
    refused,
    sessions_of,
)


def test_every_response_carries_strict_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_post_without_csrf_token_is_refused_and_changes_nothing(
    csrf_app, create_user, db
):
    staff = create_user(email="boss@example.org", is_admin=True)
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = csrf_token_from(page)
    assert (
        client.post(
            "/login",
            data={"email": staff.email, "password": PASSWORD, "csrf_token": token},
        ).status_code
        == 302
    )
    response = client.post(
        "/admin/networks/new",
        data={
            "name": "Réseau sans jeton",
            "kind": "sector",
            "family": "cooperative",
            "department": "44",
        },
    )
    assert response.status_code == 400
    assert "Reload the page" in page_text(response) or "Rechargez la page" in page_text(
        response
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Network)) == 0


def test_post_with_a_forged_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post(
        "/login",
        data={"email": "a@example.org", "password": "x", "csrf_token": "forged"},
    )
    refused(response, 400, "Le formulaire avait expiré ou ne provenait pas de ce site.")


def test_session_cookie_is_httponly_and_lax(client, representative):
    response = login(client, representative)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # testing: plain http


def test_session_cookie_is_secure_in_production(database_url, tmp_path):
    from advocacy import create_app

    app = create_app(
        {"SECRET_KEY": "a-real-secret", "SQLALCHEMY_DATABASE_URI": database_url}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_an_oversized_body_gets_413(client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "trop volumineux" in page_text(response)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com",
        "javascript:alert(1)",
        "http:/evil",
        "\\\\evil",
    ],
)
def test_next_is_followed_only_to_a_path_on_this_site(client, representative, target):
    response = client.post(
        "/login",
        data={"email": representative.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/workspace/"


def test_next_to_a_local_path_is_followed(client, representative):
    response = client.post(
        "/login",
        data={
            "email": representative.email,
            "password": PASSWORD,
            "next": "/account?tab=1",
        },
    )
    assert response.headers["Location"] == "/account?tab=1"


def test_the_session_is_renewed_at_sign_in(client, representative):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, representative)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{representative.id}:")


class TestRateLimit:
    def test_failed_sign_ins_are_limited_per_account(self, client, representative, db):
        for _ in range(5):
            response = client.post(
                "/login",
                data={"email": representative.email, "password": "wrong password"},
            )
            assert response.status_code == 401
        response = client.post(
            "/login", data={"email": representative.email, "password": PASSWORD}
        )
        assert response.status_code == 429
        text = page_text(response)
        assert "Trop de tentatives" in text
        assert "Retry-After" in response.headers

    def test_limit_per_account_holds_across_addresses(self, client, representative):
        for i in range(5):
            client.post(
                "/login",
                data={"email": representative.email, "password": "bad"},
                environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
            )
        response = client.post(
            "/login",
            data={"email": representative.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.0.0.99"},
        )
        refused(response, 429, "Trop de tentatives")
        assert sessions_of(representative) == 0  # even the right password waits

    def test_limit_per_address_holds_across_accounts(self, client):
        for i in range(5):
            client.post(
                "/login", data={"email": f"nobody{i}@example.org", "password": "bad"}
            )
        response = client.post(
            "/login", data={"email": "other@example.org", "password": "bad"}
        )
        refused(response, 429, "Trop de tentatives")

    def test_successful_sign_ins_are_not_counted(self, client, representative):
        for _ in range(7):
            login(client, representative)
            client.post("/logout")


def test_proxy_fix_trusts_the_configured_proxies(app_factory):
    app = app_factory(PROXY_FIX=1)
    client = app.test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


@pytest.fixture
def failing_app(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    return app


def test_500_page_is_localised_without_stack_trace(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    text = page_text(response)
    assert "secret internals" not in text and "Traceback" not in text
    assert "Une erreur est survenue de notre côté" in text


@pytest.mark.parametrize(
    "method,url,status",
    [
        ("get", "/nowhere", 404),
        ("put", "/login", 405),
        ("get", "/admin/networks/?page=zero", 400),
    ],
)
def test_error_pages_are_localised(client, staff, method, url, status):
    login(client, staff)
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert '<html lang="fr">' in page_text(response)


def test_audit_events_cannot_be_changed_or_deleted(db, staff):
    from advocacy.models.audit import AppendOnlyError
    from advocacy.services.audit import record_event

    record_event("test.event", by=staff, object_type="user", object_id=staff.id)
    db.session.commit()
    event = db.session.scalar(sa.select(AuditEvent))
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalar(sa.select(AuditEvent)))
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"), reason="set TEST_REDIS_URL to test"
)
def test_rate_limits_are_shared_through_redis(app_factory, representative):
    """Two app processes sharing Redis count the same failed attempts."""
    settings = {
        "RATELIMIT_STORAGE_URI": os.environ["TEST_REDIS_URL"],
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    first, second = (
        app_factory(**settings).test_client(),
        app_factory(**settings).test_client(),
    )
    for client in (first, second, first, second, first):
        client.post("/login", data={"email": representative.email, "password": "bad"})
    response = second.post(
        "/login", data={"email": representative.email, "password": PASSWORD}
    )
    refused(response, 429, "Trop de tentatives")
    assert sessions_of(representative) == 0


@pytest.mark.parametrize("url", ["/", "/about", "/legal", "/statements/", "/networks/"])
def test_public_pages_answer_conditional_requests(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first.headers.get("ETag")
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_signed_in_pages_are_not_shared_caches(client, representative):
    login(client, representative)
    response = client.get("/")
    assert "ETag" not in response.headers
