"""Messages to other installations, through the outbox.

An activity is written with the change it tells of (a ``FederationMessage``,
and an ``OutboxMessage`` pointing at it), then posted, signed, by the outbox
worker (``advocacy/services/outbox.py``): retried with a growing delay while the
peer is down or busy, given up when the peer refuses it. A peer that is down
delays only its own messages.
"""

import json
import logging
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from flask import current_app

from advocacy.extensions import db
from advocacy.federation import documents, keys, signatures
from advocacy.models import OutboxMessage, OutboxStatus, utcnow
from advocacy.models.federation import (
    FederationMessage,
    MessageDirection,
    MessageStatus,
    Peer,
)
from advocacy.services.outbox import failed_attempt

logger = logging.getLogger(__name__)

#: Answers worth trying again later: the peer's clock, its limits, its failures.
RETRIED = {401, 408, 425, 429}


class Refused(Exception):
    """The peer answered that it will not take this message: not worth retrying."""


def queue(peer: Peer, activity: dict) -> FederationMessage:
    """Write ``activity`` to go to ``peer``, in the caller's transaction."""
    message = FederationMessage(
        direction=MessageDirection.OUT,
        peer_id=peer.id,
        activity_id=activity["id"],
        activity_type=activity["type"],
        status=MessageStatus.PENDING,
        activity=activity,
    )
    db.session.add(message)
    db.session.flush()
    db.session.add(
        OutboxMessage(
            federation_message_id=message.id,
            to_address=urlsplit(peer.inbox_url).netloc[:254],
            subject=activity["type"],
        )
    )
    return message


def deliver(outgoing: OutboxMessage) -> None:
    """Post one queued activity, signed; raises on failure (``Refused``: for good)."""
    message = db.session.get(FederationMessage, outgoing.federation_message_id)
    peer = db.session.get(Peer, message.peer_id) if message.peer_id else None
    if peer is None:
        raise Refused("the installation was removed")
    body = json.dumps(message.activity).encode()
    request = requests.Request(
        "POST",
        peer.inbox_url,
        data=body,
        headers={
            "Content-Type": documents.MEDIA_TYPE,
            "Accept": documents.MEDIA_TYPE,
        },
    ).prepare()
    signatures.sign(request, documents.key_id(), keys.private_key())
    with requests.Session() as session:
        answer = session.send(
            request,
            timeout=current_app.config["FEDERATION_TIMEOUT"],
            allow_redirects=False,
        )
    if 200 <= answer.status_code < 300:
        message.status = MessageStatus.SENT
        return
    reason = f"{answer.status_code} {_said(answer)}".strip()
    if answer.status_code < 500 and answer.status_code not in RETRIED:
        raise Refused(reason)
    raise requests.RequestException(reason)


def _said(answer) -> str:
    try:
        return str(answer.json().get("error", ""))[:500]
    except (ValueError, AttributeError):
        return ""


def failed(outgoing: OutboxMessage, reason: str, *, given_up: bool) -> None:
    """Note a failed attempt on the message staff see."""
    message = db.session.get(FederationMessage, outgoing.federation_message_id)
    if message is None:
        return
    message.reason = reason[:2000]
    if given_up:
        message.status = MessageStatus.FAILED
    logger.warning(
        "Federation: %s to %s failed (%s)",
        message.activity_type,
        outgoing.to_address,
        reason,
    )


def send_due(now, batch: int, postgres: bool, report) -> None:
    """Post the activities due to other installations, each on its own: a peer
    that is down fails only its own messages (a sender of the outbox worker,
    ``services.outbox.SENDERS``)."""

    def due(moment):
        return sa.select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= moment,
            OutboxMessage.federation_message_id.is_not(None),
        )

    if db.session.scalar(due(now or utcnow()).limit(1)) is None:
        return
    # the key pair committed before any message goes: the receiver reads our
    # public key from another request while we wait for its answer
    keys.installation_key()
    db.session.commit()
    while True:
        moment = now or utcnow()
        stmt = due(moment).order_by(OutboxMessage.id).limit(batch)
        if postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        messages = db.session.scalars(stmt).all()
        if not messages:
            db.session.commit()
            return
        for message in messages:
            try:
                deliver(message)
            except Refused as exc:
                message.attempts += 1
                message.last_error = str(exc)[:2000]
                message.status = OutboxStatus.FAILED
                report.given_up += 1
                failed(message, str(exc), given_up=True)
                continue
            except Exception as exc:  # unreachable, timed out, 5xx
                failed_attempt(message, exc, moment, report)
                failed(
                    message,
                    str(exc),
                    given_up=message.status is OutboxStatus.FAILED,
                )
                continue
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            report.sent += 1
        db.session.commit()
