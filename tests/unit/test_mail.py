"""Mail: multipart messages in the recipient's language, file and SMTP backends."""

import pytest

from advocacy.mail import MailError, build_message, deliver
from advocacy.models import MembershipRole, OutboxMessage, OutboxStatus
from advocacy.services import accounts
from advocacy.services.outbox import queue_invitation, queue_password_reset, send_due
from tests import smtp
from tests.conftest import login, page_text, read_outbox


def sample_message():
    return build_message(
        "someone@example.org",
        "Sujet",
        "password_reset",
        "fr",
        user=type("U", (), {"display_name": "Ana"})(),
        link="http://x/y",
        hours=1,
    )


@pytest.fixture
def smtp_server():
    collector = smtp.Collector()
    controller = smtp.start(collector)
    yield controller, collector
    controller.stop()


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def test_smtp_backend_delivers_a_multipart_message(app, smtp_server, representative):
    controller, collector = smtp_server
    app.config.update(
        MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=controller.port
    )
    _user, token = accounts.request_password_reset(representative.email)
    queue_password_reset(representative, token)
    assert send_due().sent == 1
    ((recipients, message),) = collector.messages
    assert recipients == [representative.email]
    assert message["Subject"] == "Réinitialisez votre mot de passe Porte-voix"
    assert message["Content-Language"] == "fr"
    assert message.is_multipart()
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"http://localhost/password/reset/{token}" in text
    assert f'href="http://localhost/password/reset/{token}"' in html
    assert "Bonjour Représentante," in text


def test_messages_are_written_in_the_recipients_language(app, representative, db):
    representative.locale = "en"
    db.session.commit()
    _user, token = accounts.request_password_reset(representative.email)
    queue_password_reset(representative, token)
    (message,) = read_outbox(app)
    assert message["Subject"] == "Reset your Porte-voix password"
    assert (
        "Hello Représentante,"
        in message.get_body(preferencelist=("plain",)).get_content()
    )


def test_file_backend_writes_eml_files(app):
    deliver(sample_message())
    (message,) = read_outbox(app)
    assert message["To"] == "someone@example.org"
    assert message["Subject"] == "Sujet"


def test_smtp_down_raises_a_mail_error(app):
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SMTP_HOST="127.0.0.1",
        MAIL_SMTP_PORT=smtp.free_port(),
        MAIL_SMTP_TIMEOUT=2,
    )
    with pytest.raises(MailError):
        deliver(sample_message())


def test_an_invitation_is_kept_when_the_mail_server_is_down(
    app, client, staff, network, db
):
    from advocacy.models import Invitation

    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SMTP_HOST="127.0.0.1",
        MAIL_SMTP_PORT=smtp.free_port(),
        MAIL_SMTP_TIMEOUT=2,
    )
    login(client, staff)
    response = client.post(
        "/admin/people/invite",
        data={
            "email": "later@example.org",
            "network": network.id,
            "role": "representative",
        },
        follow_redirects=True,
    )
    assert "Une invitation a été envoyée à later@example.org" in page_text(response)
    assert db.session.query(Invitation).count() == 1
    # the worker cannot reach the server: the email waits, and goes once it is back
    assert send_due().retried == 1
    (waiting,) = db.session.scalars(db.select(OutboxMessage)).all()
    assert waiting.status is OutboxStatus.PENDING and waiting.attempts == 1
    assert waiting.to_address == "later@example.org"


def test_a_reset_link_waits_in_the_outbox_while_the_server_is_down(
    app, client, representative, db
):
    """A person who asks for a reset sees the usual page, and the mail goes later."""
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SMTP_HOST="127.0.0.1",
        MAIL_SMTP_PORT=smtp.free_port(),
        MAIL_SMTP_TIMEOUT=2,
    )
    response = client.post("/password/reset", data={"email": representative.email})
    assert response.status_code == 200
    assert "Si un compte actif" in page_text(response)
    assert send_due().retried == 1
    (waiting,) = db.session.scalars(db.select(OutboxMessage)).all()
    assert waiting.status is OutboxStatus.PENDING
    app.config.update(MAIL_BACKEND="file")
    waiting.next_attempt_at = waiting.created_at
    db.session.commit()
    (message,) = read_outbox(app)
    assert message["To"] == representative.email
    db.session.refresh(waiting)
    assert waiting.status is OutboxStatus.SENT
    assert waiting.raw is None  # the secret link is not kept once sent


def test_the_invitation_mail_names_the_network_and_link(app, staff, network, db):
    invitation, token = accounts.invite_person(
        email="new@example.org",
        network=network,
        role=MembershipRole.COORDINATOR,
        by=staff,
    )
    db.session.commit()
    queue_invitation(invitation, token)
    (message,) = read_outbox(app)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"http://localhost/invitations/{token}" in text
    assert "Équipe vous invite à représenter Réseau ESS de Vendée" in text
    assert "coordinateur·rice" in text
    assert "7 jours" in text
