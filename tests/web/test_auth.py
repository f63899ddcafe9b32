"""Accounts: sign-in, sign-out, invitations, password reset, the account page."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from advocacy.models import (
    AuditEvent,
    Invitation,
    Membership,
    MembershipRole,
    User,
    utcnow,
)
from advocacy.services import accounts
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

NEW_PASSWORD = "harbour thistle comet ledger"


def _events(db, action):
    return db.session.scalars(sa.select(AuditEvent).filter_by(action=action)).all()


class TestSignIn:
    def test_sign_in_and_out(self, client, representative, db):
        response = login(client, representative)
        assert response.headers["Location"] == "/workspace/"
        page = client.get("/workspace/").get_data(as_text=True)
        assert "Représentante" in page
        assert db.session.get(User, representative.id).last_login_at is not None
        assert len(_events(db, "user.sign_in")) == 1
        response = client.post("/logout")
        assert response.status_code == 302
        assert client.get("/workspace/").status_code == 302

    def test_email_is_compared_case_insensitively(self, client, representative):
        response = client.post(
            "/login", data={"email": "  REP@Example.ORG ", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert sessions_of(representative) == 1
        assert "rep@example.org" in page_text(client.get("/account"))

    @pytest.mark.parametrize(
        "data,message",
        [
            ({"email": "", "password": ""}, "Saisissez une adresse électronique."),
            (
                {"email": "not-an-email", "password": "x"},
                "Saisissez une adresse électronique valide",
            ),
            ({"email": "a" * 250 + "@example.org", "password": "x"}, "254 caractères"),
            ({"email": "rep@example.org", "password": "x" * 257}, "256 caractères"),
            (
                {"email": "rep@example.org", "password": "wrong password"},
                "ne correspondent à aucun compte actif",
            ),
            (
                {"email": "nobody@example.org", "password": PASSWORD},
                "ne correspondent à aucun compte actif",
            ),
        ],
    )
    def test_bad_sign_in_is_refused_with_a_message(
        self, client, representative, data, message
    ):
        response = client.post("/login", data=data)
        assert 400 <= response.status_code < 500
        assert message in page_text(response)
        assert client.get("/workspace/").status_code == 302

    def test_a_deactivated_account_cannot_sign_in(self, client, representative, db):
        representative.is_active = False
        db.session.commit()
        response = client.post(
            "/login", data={"email": representative.email, "password": PASSWORD}
        )
        refused(response, 401, "ne correspondent à aucun compte actif")
        assert sessions_of(representative) == 0
        sent_to_sign_in(client.get("/workspace/"))

    def test_deactivation_ends_open_sessions(
        self, app, client, representative, staff, db
    ):
        login(client, representative)
        assert client.get("/workspace/").status_code == 200
        staff_client = app.test_client()
        login(staff_client, staff)
        assert (
            staff_client.post(
                f"/admin/people/{representative.id}/deactivate"
            ).status_code
            == 302
        )
        sent_to_sign_in(client.get("/workspace/"))
        assert sessions_of(representative) == 0

    def test_anonymous_is_sent_to_sign_in_with_next(self, client):
        response = client.get("/account")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=%2Faccount")


class TestPasswordReset:
    def test_the_request_page_says_the_same_thing_either_way(
        self, client, representative, app
    ):
        known = client.post("/password/reset", data={"email": representative.email})
        unknown = client.post("/password/reset", data={"email": "ghost@example.org"})
        assert known.status_code == unknown.status_code == 200

        def strip(response):
            text = page_text(response)
            return text.replace(representative.email, "X").replace(
                "ghost@example.org", "X"
            )

        assert strip(known) == strip(unknown)
        assert len(read_outbox(app)) == 1

    def test_reset_by_email_then_the_link_is_spent(
        self, client, representative, app, db
    ):
        client.post("/password/reset", data={"email": representative.email})
        (message,) = read_outbox(app)
        assert message["To"] == representative.email
        assert message["Subject"] == "Réinitialisez votre mot de passe Porte-voix"
        link = link_in(message, "http://localhost/password/reset/")
        path = link.removeprefix("http://localhost")
        assert client.get(path).status_code == 200
        response = client.post(
            path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )
        assert response.status_code == 302
        client.post("/logout")
        login(client, representative, NEW_PASSWORD)
        client.post("/logout")
        assert client.get(path).status_code == 410
        assert (
            client.post(
                path,
                data={
                    "password": "another strong pass phrase",
                    "confirm": "another strong pass phrase",
                },
            ).status_code
            == 410
        )
        login(client, representative, NEW_PASSWORD)

    def test_an_expired_link_is_refused(self, client, representative, db):
        _user, token = accounts.request_password_reset(representative.email)
        db.session.commit()
        reset = accounts.find_password_reset(token)
        reset.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        response = client.get(f"/password/reset/{token}")
        assert response.status_code == 410
        assert "a expiré" in page_text(response)

    def test_a_forged_link_is_refused(self, client):
        response = client.get("/password/reset/forged-token")
        assert response.status_code == 404
        assert "n'est pas valide" in page_text(response)

    @pytest.mark.parametrize(
        "password,confirm,message",
        [
            ("", "", "Choisissez un mot de passe."),
            ("short", "short", "au moins 12 caractères"),
            ("password1234", "password1234", "trop facile à deviner"),
            (
                "rep@example.org",
                "rep@example.org",
                "ni votre adresse électronique ni votre nom",
            ),
            (NEW_PASSWORD, "something else entirely", "ne sont pas identiques"),
            ("x" * 300, "x" * 300, "256 caractères"),
        ],
    )
    def test_weak_new_passwords_are_refused(
        self, client, representative, db, password, confirm, message
    ):
        _user, token = accounts.request_password_reset(representative.email)
        db.session.commit()
        response = client.post(
            f"/password/reset/{token}", data={"password": password, "confirm": confirm}
        )
        assert response.status_code == 400
        assert message in page_text(response)
        assert accounts.find_password_reset(token).used_at is None

    def test_a_reset_ends_other_sessions(self, app, client, representative, db):
        login(client, representative)
        other = app.test_client()
        _user, token = accounts.request_password_reset(representative.email)
        db.session.commit()
        other.post(
            f"/password/reset/{token}",
            data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        sent_to_sign_in(client.get("/workspace/"))
        assert heading(other.get("/workspace/")) == "Mon espace"
        assert sessions_of(representative) == 1


class TestInvitations:
    @pytest.fixture
    def invitation(self, staff, network, db):
        invitation, token = accounts.invite_person(
            email="newcomer@example.org",
            network=network,
            role=MembershipRole.REPRESENTATIVE,
            by=staff,
        )
        db.session.commit()
        return invitation, token

    def test_accepting_creates_the_account_and_signs_in(
        self, client, invitation, db, network
    ):
        invitation, token = invitation
        page = client.get(f"/invitations/{token}")
        assert page.status_code == 200
        assert network.name in page_text(page)
        response = client.post(
            f"/invitations/{token}",
            data={
                "name": "Nouvelle Personne",
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
                "language": "en",
            },
        )
        assert response.status_code == 302
        user = db.session.scalar(
            sa.select(User).filter_by(email="newcomer@example.org")
        )
        assert user.display_name == "Nouvelle Personne" and user.locale == "en"
        assert [m.network_id for m in user.memberships] == [network.id]
        assert client.get("/workspace/").status_code == 200
        assert _events(db, "invitation.accept") and _events(db, "membership.create")

    def test_a_used_link_gets_a_clear_page(self, client, invitation):
        _invitation, token = invitation
        data = {
            "name": "A",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "language": "fr",
        }
        client.post(f"/invitations/{token}", data=data)
        client.post("/logout")
        response = client.post(f"/invitations/{token}", data=data)
        assert response.status_code == 410
        assert "déjà été acceptée" in page_text(response)

    def test_an_expired_link_gets_a_clear_page(self, client, invitation, db):
        invitation, token = invitation
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        response = client.get(f"/invitations/{token}")
        assert response.status_code == 410
        assert "a expiré" in page_text(response)

    def test_a_revoked_link_gets_a_clear_page(self, client, invitation, staff, db):
        invitation, token = invitation
        accounts.revoke_invitation(invitation, by=staff)
        db.session.commit()
        response = client.get(f"/invitations/{token}")
        assert response.status_code == 410
        assert "retirée" in page_text(response)

    def test_a_forged_link_gets_a_clear_page(self, client, invitation):
        response = client.get("/invitations/" + "x" * 43)
        assert response.status_code == 404
        assert "pas valide" in page_text(response)

    def test_resending_replaces_the_link(self, client, invitation, staff, db):
        invitation, old_token = invitation
        new_token = accounts.resend_invitation(invitation, by=staff)
        db.session.commit()
        refused(client.get(f"/invitations/{old_token}"), 404)
        page = client.get(f"/invitations/{new_token}")
        assert page.status_code == 200
        assert "Réseau ESS de Vendée" in page_text(page)

    @pytest.mark.parametrize(
        "data,message",
        [
            (
                {
                    "name": "",
                    "password": NEW_PASSWORD,
                    "confirm": NEW_PASSWORD,
                    "language": "fr",
                },
                "Saisissez un nom.",
            ),
            (
                {
                    "name": "x" * 121,
                    "password": NEW_PASSWORD,
                    "confirm": NEW_PASSWORD,
                    "language": "fr",
                },
                "120 caractères",
            ),
            (
                {
                    "name": "Ana",
                    "password": "newcomer@example.org",
                    "confirm": "newcomer@example.org",
                    "language": "fr",
                },
                "ni votre adresse électronique ni votre nom",
            ),
            (
                {
                    "name": "Ana",
                    "password": NEW_PASSWORD,
                    "confirm": NEW_PASSWORD,
                    "language": "de",
                },
                "N'est pas un choix valide",
            ),
        ],
    )
    def test_bad_input_creates_nothing(self, client, invitation, db, data, message):
        _invitation, token = invitation
        response = client.post(f"/invitations/{token}", data=data)
        assert response.status_code == 400
        assert message in page_text(response)
        assert (
            db.session.scalar(sa.select(User).filter_by(email="newcomer@example.org"))
            is None
        )
        assert db.session.scalar(sa.select(Invitation)).accepted_at is None

    def test_an_existing_account_joins_after_signing_in(
        self, client, staff, network, create_network, create_user, db
    ):
        other = create_network(name="Autre réseau")
        person = create_user(email="member@example.org", networks=[other])
        _invitation, token = accounts.invite_person(
            email="MEMBER@example.org",
            network=network,
            role=MembershipRole.COORDINATOR,
            by=staff,
        )
        db.session.commit()
        page = client.get(f"/invitations/{token}").get_data(as_text=True)
        assert "Connectez-vous pour accepter" in page
        login(client, person)
        assert client.post(f"/invitations/{token}").status_code == 302
        roles = {
            m.network_id: m.role for m in db.session.get(User, person.id).memberships
        }
        assert roles == {
            other.id: MembershipRole.REPRESENTATIVE,
            network.id: MembershipRole.COORDINATOR,
        }

    def test_someone_else_signed_in_cannot_accept(
        self, client, invitation, representative, db
    ):
        _invitation, token = invitation
        login(client, representative)
        response = client.post(
            f"/invitations/{token}",
            data={
                "name": "A",
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
                "language": "fr",
            },
        )
        assert response.status_code == 403
        assert db.session.scalar(sa.select(Invitation)).accepted_at is None


class TestAccount:
    def test_update_name_and_language(self, client, representative, db):
        login(client, representative)
        response = client.post(
            "/account", data={"name": "Nouveau Nom", "language": "en"}
        )
        assert response.status_code == 302
        page = client.get("/account").get_data(as_text=True)
        assert '<html lang="en">' in page and "Nouveau Nom" in page

    @pytest.mark.parametrize(
        "data,message",
        [
            ({"name": "", "language": "fr"}, "Saisissez un nom."),
            ({"name": "x" * 121, "language": "fr"}, "120 caractères"),
            ({"name": "Nom", "language": "klingon"}, "N'est pas un choix valide"),
        ],
    )
    def test_bad_profile_input(self, client, representative, db, data, message):
        login(client, representative)
        response = client.post("/account", data=data)
        assert response.status_code == 400
        assert message in page_text(response)
        assert db.session.get(User, representative.id).display_name == "Représentante"

    def test_password_change_needs_the_current_password(
        self, client, representative, db
    ):
        login(client, representative)
        response = client.post(
            "/account/password",
            data={
                "current_password": "not it",
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
        )
        assert response.status_code == 400
        assert "Votre mot de passe actuel est incorrect." in page_text(response)
        client.post("/logout")
        login(client, representative, PASSWORD)

    def test_password_change_keeps_this_session_and_ends_others(
        self, app, client, representative
    ):
        login(client, representative)
        other = app.test_client()
        login(other, representative)
        response = client.post(
            "/account/password",
            data={
                "current_password": PASSWORD,
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        assert "rep@example.org" in page_text(client.get("/account"))
        sent_to_sign_in(other.get("/account"))
        assert sessions_of(representative) == 1

    def test_my_data_as_json(self, client, representative, network):
        login(client, representative)
        response = client.get("/account/export.json")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        data = json.loads(page_text(response))
        assert data["account"]["email"] == representative.email
        assert data["memberships"][0]["network"] == network.name
        assert data["activity"][0]["action"] == "user.sign_in"
        assert "password" not in page_text(response).lower().replace("password_", "")

    def test_the_account_lists_my_networks(self, client, representative, network):
        login(client, representative)
        assert network.name in client.get("/account").get_data(as_text=True)


def test_membership_is_unique_per_user_and_network(db, representative, network):
    db.session.add(Membership(user_id=representative.id, network_id=network.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
