"""Outgoing email: multipart (text + HTML) messages in the recipient's language.

Backends, chosen by ``MAIL_BACKEND``: ``smtp`` for production, ``file`` (the
default) which writes each message as an ``.eml`` file under ``instance/outbox/``.
"""

import logging
import smtplib
import ssl
import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

logger = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def build_message(
    to: str, subject, template: str, locale: str, **context
) -> EmailMessage:
    """Render ``mail/<template>.txt`` and ``.html`` in ``locale`` into one message."""
    with force_locale(locale):
        subject_text = str(subject)
        context = {"subject": subject_text, "locale": locale, **context}
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    message = EmailMessage()
    message["Subject"] = subject_text
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="porte-voix")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale  # after the content, which resets Content-*
    return message


def deliver(message: EmailMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "file":
        _deliver_file(message)
    elif backend == "smtp":
        _deliver_smtp(message)
    else:
        raise MailError(f"unknown MAIL_BACKEND {backend!r}")


def outbox_dir() -> Path:
    configured = current_app.config["MAIL_OUTBOX_DIR"]
    return (
        Path(configured) if configured else Path(current_app.instance_path) / "outbox"
    )


def _deliver_file(message: EmailMessage) -> None:
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    path = folder / name
    path.write_bytes(bytes(message))
    logger.info("Mail to %s written to %s", message["To"], path)


def _deliver_smtp(message: EmailMessage) -> None:
    with _SmtpTransport() as transport:
        transport.send(message["To"], message.as_bytes(policy=policy.SMTP))
    logger.info("Mail to %s sent through %s", message["To"], transport.address)


# --- Transports, for the outbox: one connection for many messages ------------------


class RecipientRefused(MailError):
    """The server refused this recipient; the connection is still good."""


class _FileTransport:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send(self, to: str, raw: bytes) -> None:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        (folder / name).write_bytes(raw)


class _SmtpTransport:
    def __init__(self):
        config = current_app.config
        self.sender = config["MAIL_FROM"]
        host, port, timeout = (
            config["MAIL_SMTP_HOST"],
            int(config["MAIL_SMTP_PORT"]),
            config["MAIL_SMTP_TIMEOUT"],
        )
        self.address = f"{host}:{port}"
        try:
            if config["MAIL_SMTP_SSL"]:
                self.smtp = smtplib.SMTP_SSL(
                    host, port, timeout=timeout, context=ssl.create_default_context()
                )
            else:
                self.smtp = smtplib.SMTP(host, port, timeout=timeout)
            if config["MAIL_SMTP_STARTTLS"]:
                self.smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_SMTP_USERNAME"]:
                self.smtp.login(
                    config["MAIL_SMTP_USERNAME"], config["MAIL_SMTP_PASSWORD"]
                )
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot reach {host}:{port}: {exc}") from exc

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()
        return False

    def send(self, to: str, raw: bytes) -> None:
        try:
            refused = self.smtp.sendmail(self.sender, [to], raw)
        except smtplib.SMTPRecipientsRefused as exc:
            raise RecipientRefused(str(exc.recipients)) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(str(exc)) from exc
        if refused:
            raise RecipientRefused(str(refused))


def open_transport():
    """A connection to the configured backend, to send several messages through."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "file":
        return _FileTransport()
    if backend == "smtp":
        return _SmtpTransport()
    raise MailError(f"unknown MAIL_BACKEND {backend!r}")
