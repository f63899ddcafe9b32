"""The reproductions of issue #10: each answered 500 (or let a session live) before."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from advocacy.models import (
    AuditEvent,
    Ballot,
    Comment,
    PasswordReset,
    Position,
    Revision,
    UserSession,
    utcnow,
)
from tests.conftest import (
    PASSWORD,
    heading,
    link_in,
    login,
    page_text,
    read_outbox,
    refused,
    sent_to_sign_in,
    sessions_of,
)

NEW_PASSWORD = "copper meadow lantern seventy"


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def statement(publish):
    return publish().statement


@pytest.fixture
def draft(app, db, representative, network):
    from advocacy.services import positions as positions_service

    made = positions_service.create_position(
        title="Brouillon",
        summary="",
        body="Texte.",
        lead=network,
        themes=[],
        arenas=[],
        by=representative,
    )
    db.session.commit()
    return made


def change_password(client):
    return client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )


class TestUnicodeDigits:
    @pytest.mark.parametrize("value", ["²", "¹", "１２", "٣", "1.5", "-1", "abc"])
    @pytest.mark.parametrize(
        "url,message",
        [
            ("/statements/?page={}", "Le numéro de page doit être un nombre entier"),
            ("/networks/?page={}", "Le numéro de page doit être un nombre entier"),
            ("/api/v1/statements?per_page={}", "per_page doit être un nombre entier"),
            ("/api/v1/networks?page={}", "Le numéro de page doit être un nombre"),
            ("/search?q=emploi&page={}", "Le numéro de page doit être un nombre"),
        ],
    )
    def test_public_numbers(self, client, statement, url, value, message):
        response = client.get(url.format(value))
        assert response.status_code == 400
        if response.is_json:
            assert message in response.json["error"]["message"]
        else:
            assert message in page_text(response)

    @pytest.mark.parametrize("param", ["from", "to"])
    def test_compare_versions(self, client, statement, param):
        response = client.get(f"/statements/{statement.slug}/compare?{param}=²")
        assert response.status_code == 400
        assert "Choisissez les versions à comparer" in page_text(response)

    def test_workspace_pages(self, client, representative):
        login(client, representative)
        for param in (
            "votes_page",
            "positions_page",
            "consultations_page",
            "activity_page",
        ):
            response = client.get(f"/workspace/?{param}=²")
            assert response.status_code == 400, param
            assert "Le numéro de page" in page_text(response)

    def test_a_base_revision_in_other_digits_saves_nothing(
        self, client, representative, draft, db
    ):
        login(client, representative)
        for value in ("²", "１", "99999999999999999999"):
            response = client.post(
                f"/positions/{draft.id}/edit",
                data={"title": "T", "body": "Autre.", "base_revision": value},
            )
            assert response.status_code == 400, value
            assert "recharger la page" in page_text(response) or "rechargez" in (
                page_text(response)
            )
        assert count(db, Revision) == 1

    def test_a_reply_to_a_parent_in_other_digits(
        self, client, representative, walk_position, network, db
    ):
        position = walk_position(lead=network, by=representative, until="consultation")
        login(client, representative)
        for value in ("²", "１２", "99999999999999999999999"):
            response = client.post(
                f"/positions/{position.id}/comments",
                data={"body": "D'accord.", "parent": value},
            )
            assert response.status_code == 400, value
            assert "Le commentaire auquel vous répondez n'existe pas" in page_text(
                response
            )
        assert count(db, Comment) == 0

    def test_a_ballot_for_a_motion_in_other_digits(
        self, client, app, representative, walk_position, network, db
    ):
        from advocacy.services import votes

        position = walk_position(lead=network, by=representative, until="consultation")
        position.consultation_closes_at = utcnow() - timedelta(seconds=1)
        votes.open_vote(
            position, closes_at=utcnow() + timedelta(days=3), by=representative
        )
        db.session.commit()
        login(client, representative)
        for value in ("²", "٣", "99999999999999999999999"):
            response = client.post(
                f"/positions/{position.id}/vote/ballot",
                data={"motion": value, "network": network.id, "choice": "for"},
            )
            assert response.status_code == 400, value
            assert "Cette question n'appartient pas à ce vote" in page_text(response)
        assert count(db, Ballot) == 0

    def test_moderation_of_comments_in_other_digits(self, client, staff, db):
        login(client, staff)
        response = client.post(
            "/admin/moderation/",
            data={"comments": ["²", "１"], "action": "hide", "reason": "Hors sujet."},
        )
        assert response.status_code == 400
        assert "Commentaires : Choix incorrect" in page_text(response)
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert actions == ["user.sign_in"]


class TestIdsOutOfRange:
    @pytest.mark.parametrize(
        "url",
        [
            "/positions/2147483648",
            "/positions/99999999999999999999999",
            "/positions/1/v2147483648",
            "/positions/1/amendments/99999999999999999999999",
            "/notifications/2147483648",
            "/admin/people/99999999999999999999999",
            "/statements/{slug}/v2147483648",
            "/api/v1/statements/{slug}/versions/99999999999999999999999",
            "/positions/０１",
            "/positions/٣",
        ],
    )
    def test_an_id_that_cannot_exist_is_not_found(self, client, staff, statement, url):
        login(client, staff)
        response = client.get(url.format(slug=statement.slug))
        assert response.status_code == 404
        if not url.startswith("/api/"):
            assert "Page introuvable" in page_text(response)


class TestEmptyChoices:
    @pytest.mark.parametrize("value", ["", " ", "inconnue"])
    def test_an_empty_arena_on_a_new_position(
        self, client, representative, network, db, value
    ):
        login(client, representative)
        response = client.post(
            "/positions/new",
            data={
                "title": "Titre",
                "body": "Texte.",
                "lead": network.id,
                "arenas": value,
            },
        )
        assert response.status_code == 400
        assert "n'est pas un choix valide" in page_text(response)
        assert count(db, Position) == 0

    def test_an_empty_arena_on_the_details(self, client, representative, draft, db):
        login(client, representative)
        response = client.post(
            f"/positions/{draft.id}/details", data={"arenas": "", "themes": ""}
        )
        assert response.status_code == 400
        assert db.session.get(Position, draft.id).arenas == []


class TestNulCharacters:
    def test_a_nul_in_a_form_or_a_query_is_refused(self, client, representative):
        response = client.get("/statements/?q=a%00b")
        assert response.status_code == 400
        assert "caractère qui n'est pas admis" in page_text(response)
        response = client.post(
            "/login", data={"email": "a\x00@example.org", "password": "x"}
        )
        assert response.status_code == 400
        assert count_events_none(client)

    def test_a_nul_in_an_address_is_not_found(self, client):
        refused(client.get("/statements/a%00b"), 404)
        assert "\x00" not in refused(client.get("/invitations/%00"), 404)


def count_events_none(client) -> bool:
    from advocacy.extensions import db

    return count(db, AuditEvent) == 0


class TestApiErrors:
    @pytest.mark.parametrize(
        "url,status",
        [
            ("/api/v1/statements/inconnue", 404),
            ("/api/v1/statements?per_page=x", 400),
            ("/api/v1/nothing-here", 404),
            ("/api/v1/statements?theme=inconnu", 400),
        ],
    )
    def test_errors_carry_the_cors_header(self, client, url, status):
        response = client.get(url)
        assert response.status_code == status
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.json["error"]["status"] == status


class TestSessionsEnd:
    def _saved_cookie(self, client):
        return client.get_cookie("session").value

    def _with_cookie(self, app, value):
        other = app.test_client()
        other.set_cookie("session", value)
        return other

    def test_logout_ends_the_session_on_the_server(
        self, app, client, representative, db
    ):
        login(client, representative)
        saved = self._saved_cookie(client)
        assert self._with_cookie(app, saved).get("/workspace/").status_code == 200
        assert client.post("/logout").status_code == 302
        replayed = self._with_cookie(app, saved).get("/workspace/")
        assert replayed.status_code == 302
        assert "/login" in replayed.headers["Location"]
        assert count(db, UserSession) == 0

    def test_sign_out_everywhere_ends_every_session(
        self, app, client, representative, db
    ):
        login(client, representative)
        laptop = app.test_client()
        login(laptop, representative)
        assert count(db, UserSession) == 2
        page = page_text(client.get("/account"))
        assert "Où je suis connecté·e" in page and "ce navigateur" in page
        response = client.post("/account/sessions/end", follow_redirects=True)
        assert "Vous êtes déconnecté·e partout (2 sessions fermées)." in page_text(
            response
        )
        assert laptop.get("/workspace/").status_code == 302
        assert client.get("/workspace/").status_code == 302
        assert count(db, UserSession) == 0
        event = db.session.scalar(
            sa.select(AuditEvent).filter_by(action="user.sign_out_everywhere")
        )
        assert event.actor_id == representative.id

    def test_a_password_change_ends_the_other_sessions_only(
        self, app, client, representative
    ):
        login(client, representative)
        other = app.test_client()
        login(other, representative)
        response = change_password(client)
        assert response.status_code == 302
        assert heading(client.get("/workspace/")) == "Mon espace"
        sent_to_sign_in(other.get("/workspace/"))
        assert sessions_of(representative) == 1

    def test_deactivation_ends_every_session(self, app, client, representative, staff):
        login(client, representative)
        admin = app.test_client()
        login(admin, staff)
        admin.post(f"/admin/people/{representative.id}/deactivate")
        sent_to_sign_in(client.get("/workspace/"))
        assert sessions_of(representative) == 0

    def test_an_expired_session_is_refused(self, client, representative, db):
        login(client, representative)
        db.session.execute(
            sa.update(UserSession).values(created_at=utcnow() - timedelta(days=15))
        )
        db.session.commit()
        sent_to_sign_in(client.get("/workspace/"))


class TestResetLinks:
    def _ask(self, app, client, user):
        client.post("/password/reset", data={"email": user.email})
        return link_in(read_outbox(app)[-1], "http://localhost/password/reset/")

    def test_older_links_die_when_the_password_changes(
        self, app, client, representative, db
    ):
        first = self._ask(app, client, representative)
        second = self._ask(app, client, representative)
        path = second.removeprefix("http://localhost")
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert client.post(path, data=data).status_code == 302
        client.post("/logout")
        stale = client.post(
            first.removeprefix("http://localhost"),
            data={"password": "another strong pass phrase", "confirm": "x"},
        )
        assert stale.status_code == 410
        assert "a expiré ou a déjà été utilisé" in page_text(stale)
        assert all(
            r.used_at is not None for r in db.session.scalars(sa.select(PasswordReset))
        )
        login(client, representative, NEW_PASSWORD)

    def test_a_password_change_kills_pending_links(
        self, app, client, representative, db
    ):
        link = self._ask(app, client, representative)
        login(client, representative)
        change_password(client)
        client.post("/logout")
        response = client.get(link.removeprefix("http://localhost"))
        assert response.status_code == 410
        assert "Ce lien a expiré ou a déjà été utilisé." in page_text(response)
