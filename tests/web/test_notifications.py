"""Each event reaches exactly the people it concerns, never its actor."""

import re
from datetime import timedelta

import sqlalchemy as sa

from advocacy.models import (
    AmendmentKind,
    BallotChoice,
    BoardChoice,
    Notification,
    OutboxMessage,
    PositionState,
    User,
    utcnow,
)
from advocacy.models.notifications import Category, Delivery
from advocacy.queries import notifications
from advocacy.services import amendments, board, consultation, outbox, statements, votes
from advocacy.services import notifications as notify
from advocacy.services import positions as positions_service
from advocacy.services.notifications import delivery
from tests.conftest import login, page_text, refused, sent_to_sign_in
from tests.web.conftest import draft


def open_consultation(position, people, days=3):
    """Anne opens the consultation (inside a request context)."""
    consultation.open_consultation(
        position,
        closes_at=utcnow() + timedelta(days=days),
        message="",
        by=people["anne"],
    )


def told(db, kind: str) -> set[str]:
    """Whose notifications page shows something of this kind."""
    return {
        user.email
        for user in db.session.scalars(sa.select(User))
        if db.session.scalar(
            notifications.told(user, 1000).where(Notification.kind == kind).limit(1)
        )
    }


def test_every_step_tells_the_right_people(app, db, people, staff):
    anne, bob, chloe = people["anne"], people["bob"], people["chloe"]
    position = positions_service.create_position(
        title="Pour un emploi durable",
        summary="",
        body="Préambule.\n\n# Constat\n\nL'emploi progresse.",
        lead=people["lead"],
        themes=[],
        arenas=[],
        by=anne,
    )
    positions_service.add_coauthor(position, people["partner"], by=anne)
    assert told(db, "coauthor_invited") == {"bob@example.org"}

    consultation.open_consultation(
        position, closes_at=utcnow() + timedelta(days=3), message="", by=anne
    )
    assert told(db, "consultation_open") == {"bob@example.org", "chloe@example.org"}

    comment = consultation.post_comment(
        position, body="Précisez.", by=chloe, network=people["other"]
    )
    consultation.post_comment(
        position,
        body="D'accord.",
        by=bob,
        network=people["partner"],
        parent=comment,
    )
    assert told(db, "comment_reply") == {"chloe@example.org"}
    consultation.moderate_comments([comment], hide=True, reason="Hors sujet.", by=staff)
    assert told(db, "comment_hidden") == {"chloe@example.org"}
    hidden = db.session.scalars(
        sa.select(Notification).where(Notification.kind == "comment_hidden")
    ).one()
    assert hidden.payload["reason"] == "Hors sujet."

    section = position.current_revision.sections[1]["id"]
    amendment, _ = amendments.file_amendment(
        position,
        section_id=section,
        kind=AmendmentKind.REPLACE,
        proposed="# Constat\n\nL'emploi progresse nettement.",
        rationale="Précis.",
        network=people["other"],
        by=chloe,
        form_token=amendments.new_form_token(),
    )
    amendments.decide_amendment(
        amendment, position, decision="to_vote", reason="", by=anne
    )
    assert told(db, "amendment_decided") == {"chloe@example.org"}

    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    motions = votes.open_vote(position, closes_at=utcnow() + timedelta(days=1), by=anne)
    assert told(db, "vote_open") == {"bob@example.org", "chloe@example.org"}
    for motion in motions:
        votes.cast_ballot(
            motion,
            position,
            network=people["lead"],
            choice=BallotChoice.FOR,
            by=anne,
        )
    votes.cast_ballot(
        motions[0],
        position,
        network=people["partner"],
        choice=BallotChoice.FOR,
        by=bob,
    )
    position.vote_closes_at = utcnow() - timedelta(seconds=1)
    votes.close_vote(position, by=anne)
    assert told(db, "vote_closed") == {"bob@example.org"}  # took part; Anne acted

    from advocacy.services import consolidation

    consolidation.apply_amendments(position, by=anne)
    board.submit_to_board(position, by=anne)
    assert told(db, "board_submitted") == {"ca1@example.org", "ca2@example.org"}
    for member in (people["ca1"], people["ca2"]):
        board.record_board_decision(
            position, choice=BoardChoice.APPROVE, motivation="Solide.", by=member
        )
    assert position.state is PositionState.APPROVED
    assert told(db, "board_outcome") == {"anne@example.org", "bob@example.org"}

    statements.publish_statement(position, by=staff)
    assert told(db, "statement_published") == {
        "anne@example.org",
        "bob@example.org",
        "chloe@example.org",
    }
    db.session.commit()


def test_a_rolled_back_change_tells_nobody(app, db, people, position):
    open_consultation(position, people)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


def test_votes_are_emailed_at_once_the_rest_waits_for_the_digest(
    app, db, people, position
):
    open_consultation(position, people)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    votes.open_vote(position, closes_at=utcnow() + timedelta(days=1), by=people["anne"])
    db.session.commit()
    # the request wrote one job for every member, whatever their number…
    assert db.session.scalars(sa.select(OutboxMessage.to_address)).all() == [""]
    # …which the worker turns into one message per member who wants it at once
    assert outbox.expand_broadcasts() == 2
    addresses = sa.select(OutboxMessage.to_address).where(
        OutboxMessage.to_address != ""
    )
    assert set(db.session.scalars(addresses)) == {
        "bob@example.org",
        "chloe@example.org",
    }


def test_the_notifications_page_and_the_header_count(app, db, client, people, position):
    positions_service.add_coauthor(position, people["partner"], by=people["anne"])
    open_consultation(position, people)
    db.session.commit()
    login(client, people["bob"])
    page = page_text(client.get("/notifications/"))
    assert (
        "Mutuelle de Vendée rejoint les coauteurs de « Pour un emploi durable »."
        in page
    )
    assert "La consultation sur « Pour un emploi durable » est ouverte jusqu'au" in page
    assert 'class="count-badge">2' in client.get("/workspace/").get_data(as_text=True)
    first = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == people["bob"].id)
    ).first()
    # following the link reads nothing as read: only the POST of its button does
    response = client.get(f"/notifications/{first.id}")
    assert response.status_code == 302 and response.headers["Location"] == first.link
    assert 'class="count-badge">2' in client.get("/workspace/").get_data(as_text=True)
    response = client.post(f"/notifications/{first.id}")
    assert response.status_code == 302 and response.headers["Location"] == first.link
    assert 'class="count-badge">1' in client.get("/workspace/").get_data(as_text=True)
    assert f'href="/notifications/{first.id}"' in client.get("/notifications/").text
    assert client.post("/notifications/read").status_code == 302
    assert "count-badge" not in client.get("/workspace/").get_data(as_text=True)
    # another person's notification, an unknown one, a bad id
    notify.tell(
        sa.select(User).where(User.id == people["chloe"].id),
        category=Category.DRAFTING,
        kind="coauthor_invited",
        payload={"title": "Pour un emploi durable", "network": "Mutuelle de Vendée"},
        link=f"/positions/{position.id}",
    )
    db.session.commit()
    theirs = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == people["chloe"].id)
    ).first()
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    assert client.post(f"/notifications/{theirs.id}").status_code == 404
    assert client.get("/notifications/999999").status_code == 404
    assert client.get("/notifications/abc").status_code == 404
    assert client.get("/notifications/?page=x").status_code == 400


def test_notifications_need_a_member(client, staff):
    sent_to_sign_in(client.get("/notifications/"))


def badge(client) -> int:
    """The unread count the header shows (0 when it shows none)."""
    found = re.search(
        r'class="count-badge">(\d+)', client.get("/workspace/").get_data(as_text=True)
    )
    return int(found.group(1)) if found else 0


def test_news_to_every_member_is_stored_once_and_read_by_each(
    app, db, client, people, position, create_user, create_network, count_queries
):
    """A consultation is told to every member with one row, whatever their number;
    each person's list and unread count are their own."""
    crowd = create_network(name="Réseau nombreux")
    for i in range(30):
        create_user(email=f"membre{i}@example.org", networks=[crowd])
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    with count_queries() as opening:
        open_consultation(position, people)
        db.session.commit()
    after = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    assert after == before + 1
    small = opening.count
    for i in range(30, 90):
        create_user(email=f"membre{i}@example.org", networks=[crowd])
    other = draft(people, "Bien vieillir")
    db.session.commit()
    with count_queries() as again:
        open_consultation(other, people)
        db.session.commit()
    assert again.count == small  # three times the members, the same statements

    login(client, people["bob"])
    assert badge(client) == 2
    page = page_text(client.get("/notifications/"))
    assert "La consultation sur « Bien vieillir » est ouverte" in page
    broadcast = db.session.scalars(
        sa.select(Notification).where(Notification.user_id.is_(None))
    ).first()
    client.post(f"/notifications/{broadcast.id}")
    assert badge(client) == 1  # right after a read
    # email choices change how one hears, not what is unread
    saved = client.post(
        "/notifications/preferences", data={c.value: "never" for c in Category}
    )
    assert saved.status_code == 302
    assert notify.deliveries([people["bob"].id], Category.CONSULTATION) == {
        people["bob"].id: Delivery.NEVER
    }
    assert badge(client) == 1
    open_consultation(draft(people, "Tourisme social"), people)  # a new event
    db.session.commit()
    assert badge(client) == 2
    client.post("/notifications/read")
    assert badge(client) == 0
    # the others still have all three unread
    client.post("/logout")
    login(client, people["chloe"])
    assert badge(client) == 3


def test_news_reaches_members_only_and_not_the_one_who_acted(
    app, db, client, people, position, create_user, create_network
):
    open_consultation(position, people)  # by Anne
    db.session.commit()
    broadcast = db.session.scalars(
        sa.select(Notification).where(Notification.user_id.is_(None))
    ).one()
    late = create_user(email="late@example.org", networks=[people["other"]])
    closed = create_network(name="Réseau dissous", is_active=False)
    gone = create_user(email="gone@example.org", networks=[closed])
    for person, sees in (
        (people["anne"], False),  # she opened it
        (people["bob"], True),
        (people["ca1"], False),  # board, no network
        (late, False),  # joined after
        (gone, False),  # represents only a closed network
    ):
        client.post("/logout")
        login(client, person)
        page = page_text(client.get("/notifications/"))
        assert ("La consultation sur « Pour un emploi durable »" in page) is sees
        response = client.get(f"/notifications/{broadcast.id}")
        assert response.status_code == (302 if sees else 404), person.email


def test_the_header_counts_up_to_99_then_shows_99_plus(
    app, db, client, people, position
):
    """A person who never reads costs the header no more than one who does."""
    for i in range(120):
        notify.tell(
            sa.select(User).where(User.id == people["bob"].id),
            category=Category.DRAFTING,
            kind="coauthor_invited",
            payload={"title": f"Position {i}", "network": "Mutuelle de Vendée"},
            link=f"/positions/{position.id}",
        )
    db.session.commit()
    login(client, people["bob"])
    html = client.get("/workspace/").get_data(as_text=True)
    assert 'class="count-badge">99+<' in html
    assert client.post("/notifications/read").status_code == 302
    assert badge(client) == 0


def test_the_pages_merge_own_news_and_news_to_everyone_latest_first(
    app, db, client, people, position
):
    """Each page holds the latest of both kinds, in order, whatever their mix."""
    bob = people["bob"]
    start = bob.created_at + timedelta(
        minutes=1
    )  # news from before Bob came is not his
    for i in range(40):
        if i % 3:
            notify.tell(
                sa.select(User).where(User.id == bob.id),
                category=Category.DRAFTING,
                kind="coauthor_invited",
                payload={"title": f"Texte {i:02d}", "network": "Mutuelle de Vendée"},
                link=f"/positions/{position.id}",
            )
        else:
            delivery.broadcast(
                category=Category.PUBLICATIONS,
                kind="statement_published",
                payload={"title": f"Texte {i:02d}"},
                link="/statements/",
            )
        db.session.flush()
        db.session.execute(
            sa.update(Notification)
            .where(
                Notification.id
                == sa.select(sa.func.max(Notification.id)).scalar_subquery()
            )
            .values(created_at=start + timedelta(minutes=i))
        )
    db.session.commit()
    login(client, bob)
    pages = [page_text(client.get(f"/notifications/?page={n}")) for n in (1, 2)]
    titles = [re.findall(r"Texte (\d\d)", page) for page in pages]
    assert titles[0] == [f"{i:02d}" for i in range(39, 14, -1)]  # 25, newest first
    assert titles[1] == [f"{i:02d}" for i in range(14, -1, -1)]
    assert "Page suivante" in pages[0] and "Page suivante" not in pages[1]
    refused(client.get("/notifications/?page=3"), 404, "Il n'y a pas de page 3")
