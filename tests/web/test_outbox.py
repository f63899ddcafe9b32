"""The outbox: sent once, after the server accepted it; kept through an outage."""

import threading
from datetime import timedelta
from email.message import EmailMessage

import pytest
import sqlalchemy as sa

from advocacy.extensions import db as _db
from advocacy.models import Notification, OutboxMessage, OutboxStatus, utcnow
from advocacy.queries.votes import current_motions
from advocacy.services import consultation, votes
from advocacy.services import notifications as notify
from advocacy.services import positions as positions_service
from advocacy.services.outbox import send_due, unsubscribe_token
from tests import smtp
from tests.conftest import IS_POSTGRES, page_text, read_outbox
from tests.web.test_notifications import open_consultation


def _open_vote(app, db, position, people):
    """Open a consultation, then a vote (which is emailed at once), in ``app``."""
    from advocacy.models import Position, User

    position = db.session.get(Position, position.id)
    people = {**people, "anne": db.session.get(User, people["anne"].id)}
    open_consultation(position, people)
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    votes.open_vote(position, closes_at=utcnow() + timedelta(days=1), by=people["anne"])
    db.session.commit()


def _send(app, **kwargs):
    return send_due(**kwargs)


def _statuses(db):
    db.session.expire_all()
    return {
        m.to_address: (m.status, m.attempts)
        for m in db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.to_address != "")
        )
    }


def test_messages_go_out_in_each_persons_language(app, db, position, people):
    _open_vote(app, db, position, people)
    report = _send(app)
    assert report.sent == 2
    messages = {m["To"]: m for m in read_outbox(app)}
    assert set(messages) == {"bob@example.org", "chloe@example.org"}
    bob, chloe = messages["bob@example.org"], messages["chloe@example.org"]
    assert bob["Subject"].startswith(
        "Le vote sur « Pour un emploi durable » est ouvert"
    )
    assert chloe["Subject"].startswith("The vote on “Pour un emploi durable” is open")
    assert bob["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = bob["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://localhost/notifications/unsubscribe/")
    assert "http://localhost/positions/" in bob.get_body(("plain",)).get_content()
    assert _statuses(db)["bob@example.org"] == (OutboxStatus.SENT, 0)
    assert _send(app).sent == 0  # nothing twice


def test_an_outage_keeps_the_messages_until_the_server_is_back(
    app_factory,
    db,
    position,
    people,
):
    port = smtp.free_port()
    app = app_factory(
        MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=port
    )
    with app.app_context():
        _open_vote(app, _db, position, people)
        report = _send(app)
        assert report.sent == 0 and report.retried == 2
        statuses = _statuses(_db)
        assert statuses["bob@example.org"] == (OutboxStatus.PENDING, 1)
        message = _db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.to_address != "")
        ).first()
        assert "cannot reach" in message.last_error
        assert message.next_attempt_at > utcnow()
        collector = smtp.Collector()
        server = smtp.start(collector, port=port)
        try:
            assert _send(app).sent == 0  # not yet due
            report = _send(app, now=utcnow() + timedelta(minutes=2))
            assert report.sent == 2
        finally:
            server.stop()
        assert sorted(rcpt[0] for rcpt, _m in collector.messages) == [
            "bob@example.org",
            "chloe@example.org",
        ]


def test_a_refused_recipient_is_recorded_and_the_others_go(
    app_factory,
    db,
    position,
    people,
):
    collector = smtp.Collector(refuse={"bob@example.org"})
    server = smtp.start(collector)
    app = app_factory(
        MAIL_BACKEND="smtp",
        MAIL_SMTP_HOST="127.0.0.1",
        MAIL_SMTP_PORT=server.port,
        OUTBOX_MAX_ATTEMPTS=2,
    )
    try:
        with app.app_context():
            _open_vote(app, _db, position, people)
            report = _send(app)
            assert report.sent == 1 and report.retried == 1
            statuses = _statuses(_db)
            assert statuses["chloe@example.org"] == (OutboxStatus.SENT, 0)
            assert statuses["bob@example.org"] == (OutboxStatus.PENDING, 1)
            later = utcnow() + timedelta(hours=1)
            assert _send(app, now=later).given_up == 1
            failed = _db.session.scalars(
                sa.select(OutboxMessage).filter_by(to_address="bob@example.org")
            ).one()
            assert failed.status is OutboxStatus.FAILED and "550" in failed.last_error
    finally:
        server.stop()
    assert [rcpt for rcpt, _m in collector.messages] == [["chloe@example.org"]]


@pytest.mark.postgres_only
@pytest.mark.skipif(not IS_POSTGRES, reason="several workers need PostgreSQL")
def test_two_workers_send_each_message_once(app_factory, db, create_user):
    collector = smtp.Collector()
    server = smtp.start(collector)
    app = app_factory(
        MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=server.port
    )
    total = 500
    rows = []
    for i in range(total):
        message = EmailMessage()
        message["From"], message["To"] = "pv@example.org", f"p{i}@example.org"
        message["Subject"], message["Message-ID"] = f"n°{i}", f"<{i}@porte-voix>"
        message.set_content("Bonjour.")
        rows.append(
            {
                "to_address": f"p{i}@example.org",
                "subject": f"n°{i}",
                "raw": bytes(message),
            }
        )
    db.session.execute(sa.insert(OutboxMessage), rows)
    db.session.commit()
    reports = []

    def worker():
        with app.app_context():
            reports.append(_send(app, batch=10))
            _db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    started = utcnow()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    seconds = (utcnow() - started).total_seconds()
    server.stop()
    ids = [m["Message-ID"] for _r, m in collector.messages]
    assert len(ids) == total and len(set(ids)) == total
    assert sum(r.sent for r in reports) == total
    assert all(r.sent > 0 for r in reports)  # both took part
    assert _statuses(db) and all(
        s is OutboxStatus.SENT for s, _a in _statuses(db).values()
    )
    print(
        f"\n{total} messages by 2 workers in {seconds:.2f} s: {total / seconds:.0f}/s"
    )


def test_the_digest_groups_the_news_once_in_the_persons_language(
    app,
    db,
    position,
    people,
):
    positions_service.add_coauthor(position, people["partner"], by=people["anne"])
    open_consultation(position, people)
    assert notify.make_digests() == 2  # Bob (two pieces of news), Chloé (one)
    db.session.commit()
    assert notify.make_digests() == 0  # nothing new: no mail
    _send(app)
    messages = {m["To"]: m for m in read_outbox(app)}
    bob = messages["bob@example.org"].get_body(("plain",)).get_content()
    assert "2 nouvelles depuis le dernier récapitulatif" in bob
    assert "Rédaction" in bob and "Consultations" in bob
    chloe = messages["chloe@example.org"]
    assert chloe["Subject"] == "Your digest from Porte-voix"
    assert (
        "1 piece of news since the last digest"
        in chloe.get_body(("plain",)).get_content()
    )


def test_read_news_is_left_out_of_the_digest(app, db, position, people):
    open_consultation(position, people)
    notify.mark_read(people["bob"])
    assert notify.make_digests() == 1  # Chloé only
    db.session.commit()


def test_reminders_go_to_the_silent_networks_once(app, db, position, people):
    consultation.open_consultation(
        position,
        closes_at=utcnow() + timedelta(hours=30),
        message="",
        by=people["anne"],
    )
    consultation.post_comment(
        position, body="Bien.", by=people["bob"], network=people["partner"]
    )
    notify.send_reminders()
    notify.send_reminders()
    db.session.commit()
    reminded = db.session.scalars(
        sa.select(Notification).where(Notification.kind == "consultation_closing")
    ).all()
    assert sorted(n.payload["network"] for n in reminded) == [
        "Réseau ESS du Maine",
        "Union régionale des Scop",
    ]


def test_vote_reminders_skip_the_networks_that_voted(app, db, position, people):
    from advocacy.models import BallotChoice

    _open_vote(app, db, position, people)
    position.vote_closes_at = utcnow() + timedelta(hours=10)
    for motion in db.session.scalars(current_motions(position)):
        votes.cast_ballot(
            motion,
            position,
            network=people["lead"],
            choice=BallotChoice.FOR,
            by=people["anne"],
        )
    assert notify.send_reminders() == 2  # Bob's and Chloé's networks
    assert notify.send_reminders() == 0
    db.session.commit()


def test_once_closed_the_lead_is_reminded_of_the_amendments_to_decide(
    app, db, open_position, people
):
    from advocacy.models import AmendmentKind
    from advocacy.services import amendments

    section = open_position.current_revision.sections[0]["id"]
    filed = [
        amendments.file_amendment(
            open_position,
            section_id=section,
            kind=AmendmentKind.REPLACE,
            proposed=f"Texte plus précis, version {n}.",
            rationale="Plus précis.",
            network=people["partner"],
            by=people["bob"],
            form_token=amendments.new_form_token(),
        )[0]
        for n in range(3)
    ]
    amendments.decide_amendment(
        filed[0], open_position, decision="to_vote", reason="", by=people["anne"]
    )
    notify.send_reminders()
    kind = Notification.kind == "amendments_to_decide"
    assert db.session.scalar(sa.select(sa.func.count()).where(kind)) == 0  # open
    open_position.consultation_closes_at = utcnow() - timedelta(minutes=1)
    notify.send_reminders()
    notify.send_reminders()
    db.session.commit()
    reminded = db.session.scalars(sa.select(Notification).where(kind)).all()
    assert [(n.user_id, n.payload["count"]) for n in reminded] == [
        (people["anne"].id, 2)
    ]
    assert reminded[0].link.endswith(f"/positions/{open_position.id}/amendments/")


def test_unsubscribe_works_signed_out_and_refuses_forgeries(
    app,
    db,
    client,
    people,
):
    from advocacy.models import Category, Delivery
    from advocacy.services.notifications import deliveries

    token = unsubscribe_token(people["bob"].id, "votes")
    page = client.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and "Votes" in page_text(page)
    done = client.post(f"/notifications/unsubscribe/{token}")
    assert done.status_code == 200 and "C'est fait" in page_text(done)
    assert (
        deliveries([people["bob"].id], Category.VOTES)[people["bob"].id]
        is Delivery.NEVER
    )
    for forged in (token[:-2] + "xx", "abc", "x" * 500):
        assert client.get(f"/notifications/unsubscribe/{forged}").status_code == 404
        assert client.post(f"/notifications/unsubscribe/{forged}").status_code == 404


def test_one_click_unsubscribe_needs_no_csrf_token(csrf_app, people):
    from advocacy.models import Category, Delivery
    from advocacy.services.notifications import deliveries

    token = unsubscribe_token(people["chloe"].id, "digest")
    response = csrf_app.test_client().post(
        f"/notifications/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    choice = deliveries([people["chloe"].id], Category.CONSULTATION)
    assert choice[people["chloe"].id] is Delivery.NEVER
    assert (
        deliveries([people["chloe"].id], Category.VOTES)[people["chloe"].id]
        is Delivery.IMMEDIATE
    )


def test_the_preferences_page(app, db, client, people):
    from advocacy.models import NotificationPreference
    from tests.conftest import login

    login(client, people["bob"])
    page = page_text(client.get("/notifications/preferences"))
    assert "Par courriel, tout de suite" in page
    data = {
        "drafting": "never",
        "consultation": "immediate",
        "votes": "digest",
        "board": "immediate",
        "publications": "never",
    }
    assert client.post("/notifications/preferences", data=data).status_code == 302
    saved = {
        p.category.value: p.delivery.value
        for p in db.session.scalars(sa.select(NotificationPreference))
    }
    assert saved == data
    for bad in ({**data, "votes": "sometimes"}, {**data, "votes": "x" * 5000}, {}):
        response = client.post("/notifications/preferences", data=bad)
        assert response.status_code == 400
        assert "Choisissez l'une des options proposées." in page_text(response)
    db.session.expire_all()
    assert {
        p.category.value: p.delivery.value
        for p in db.session.scalars(sa.select(NotificationPreference))
    } == data


@pytest.fixture
def sending_app(app_factory):
    """The app as `make run` serves it: the outbox sent right after each request."""
    return app_factory(OUTBOX_SEND_AFTER_REQUEST=True)


def test_make_run_shows_the_emails_right_after_the_request(
    sending_app,
    db,
    position,
    people,
):
    from advocacy.models import Position
    from advocacy.services import consultation as consult
    from tests.conftest import login

    with sending_app.app_context():
        fresh = _db.session.get(Position, position.id)
        consult.open_consultation(
            fresh,
            closes_at=utcnow() + timedelta(days=3),
            message="",
            by=_db.session.get(type(people["anne"]), people["anne"].id),
        )
        fresh.consultation_closes_at = utcnow() - timedelta(seconds=1)
        _db.session.commit()
        client = sending_app.test_client()
        login(client, people["anne"])
        closes = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            f"/positions/{position.id}/vote/open", data={"closes_at": closes}
        )
        assert response.status_code == 302
        sent = {m["To"] for m in read_outbox(sending_app)}
        assert sent == {"bob@example.org", "chloe@example.org"}
        assert all(s is OutboxStatus.SENT for s, _a in _statuses(_db).values())
