"""Benchmark: how many emails one outbox worker sends per second to a local server.

Run with ``make bench-mail``. Builds a throw-away SQLite database with 300
people, opens a vote (each representative is told at once: one outbox row
each), then drains the outbox with ``send_due`` into a local aiosmtpd server,
rendering included, and prints the rate.
"""

import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from tests import smtp

PEOPLE = 300
ROUNDS = int(__import__("os").environ.get("ROUNDS", "5"))


def main() -> None:
    from flask_migrate import upgrade

    from advocacy import create_app
    from advocacy.extensions import db
    from advocacy.models import (
        EssFamily,
        Membership,
        Network,
        NetworkKind,
        OutboxMessage,
        User,
        utcnow,
    )
    from advocacy.models.networks import Department
    from advocacy.services import consultation, votes
    from advocacy.services import positions as positions_service
    from advocacy.services.outbox import send_due

    collector = smtp.Collector()
    server = smtp.start(collector)
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'mail.sqlite3'}",
            "MAIL_BACKEND": "smtp",
            "MAIL_SMTP_HOST": "127.0.0.1",
            "MAIL_SMTP_PORT": server.port,
            "PUBLIC_CACHE_ENTRIES": 0,
        }
    )
    rates = []
    with app.app_context():
        upgrade()
        networks = [
            Network(
                name=f"Réseau {i}",
                slug=f"reseau-{i}",
                kind=NetworkKind.SECTOR,
                family=EssFamily.ASSOCIATION,
                department=Department.SARTHE,
                description="",
                website="",
            )
            for i in range(PEOPLE)
        ]
        db.session.add_all(networks)
        db.session.flush()
        people = [
            User(
                email=f"p{i}@example.org",
                display_name=f"Personne {i}",
                password_hash="!",  # noqa: S106 (no password: nobody signs in)
            )
            for i in range(PEOPLE)
        ]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(
            Membership(user_id=u.id, network_id=n.id)
            for u, n in zip(people, networks, strict=True)
        )
        db.session.commit()
        with app.test_request_context(base_url="http://127.0.0.1:5000"):
            for round_ in range(ROUNDS):
                position = positions_service.create_position(
                    title=f"Position {round_}",
                    summary="",
                    body="Texte.",
                    lead=networks[0],
                    themes=[],
                    arenas=[],
                    by=people[0],
                )
                consultation.open_consultation(
                    position,
                    closes_at=utcnow() + timedelta(days=8),
                    message="",
                    by=people[0],
                )
                position.consultation_closes_at = utcnow() - timedelta(seconds=1)
                votes.open_vote(
                    position, closes_at=utcnow() + timedelta(days=4), by=people[0]
                )
                db.session.commit()
                pending = db.session.scalar(
                    sa.select(sa.func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.sent_at.is_(None))
                )
                started = time.perf_counter()
                report = send_due(batch=50)
                seconds = time.perf_counter() - started
                rates.append(report.sent / seconds)
                print(
                    f"  round {round_ + 1}: {report.sent} of {pending} in {seconds:.2f} s"
                )
        db.engine.dispose()
    server.stop()
    rates.sort()
    print(
        f"\nOne worker, rendering included: median {rates[len(rates) // 2]:,.0f}"
        f" messages/s (best {rates[-1]:,.0f}) to a local aiosmtpd server;"
        f" {len(collector.messages)} received."
    )


if __name__ == "__main__":
    main()
