"""Board review: submission, decisions with motivation, quorum, changes requested, rejection."""

import threading

import pytest
import sqlalchemy as sa

from advocacy.extensions import db as _db
from advocacy.models import (
    AuditEvent,
    BoardChoice,
    BoardDecision,
    BoardDecisionCast,
    Position,
    PositionState,
    User,
)
from advocacy.services import board
from tests.conftest import (
    CONFIRMED,
    IS_POSTGRES,
    login,
    page_text,
    refused,
    sent_to_sign_in,
)

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)


@pytest.fixture
def members(board_members):
    return board_members


@pytest.fixture
def consolidated(walk_position, representative, network):
    """A position whose text the networks adopted (only its lead network took part)."""
    return walk_position(lead=network, by=representative, until="consolidation")


@pytest.fixture
def in_review(walk_position, representative, network):
    return walk_position(lead=network, by=representative, until="board_review")


def decide(client, position, choice, motivation="Motivé."):
    return client.post(
        f"/board/positions/{position.id}/decide",
        data={"choice": choice, "motivation": motivation},
    )


def state(db, position):
    return db.session.get(Position, position.id).state


def test_the_lead_submits_an_adopted_text(client, consolidated, representative, db):
    login(client, representative)
    assert (
        client.post(f"/positions/{consolidated.id}/submit", data=CONFIRMED).status_code
        == 302
    )
    position = db.session.get(Position, consolidated.id)
    assert position.state is PositionState.BOARD_REVIEW and position.board_round == 1


def test_a_text_the_vote_did_not_adopt_cannot_be_submitted(
    app, client, consolidated, representative, db
):
    from advocacy.models import Motion

    motion = db.session.scalar(sa.select(Motion))
    motion.passed = False
    db.session.commit()
    login(client, representative)
    assert (
        client.post(f"/positions/{consolidated.id}/submit", data=CONFIRMED).status_code
        == 409
    )
    assert state(db, consolidated) is PositionState.CONSOLIDATION


def test_others_cannot_submit(client, consolidated, members, db):
    login(client, members[0])
    refused(client.post(f"/positions/{consolidated.id}/submit", data=CONFIRMED), 403)
    assert state(db, consolidated) is PositionState.CONSOLIDATION


def test_two_approvals_validate_the_text(app, client, in_review, members, db):
    login(client, members[0])
    queue = page_text(client.get("/board/"))
    assert "Pour un emploi durable" in queue and "En attente de votre décision" in queue
    assert client.get(f"/board/positions/{in_review.id}").status_code == 200
    assert decide(client, in_review, "approve", "Texte solide.").status_code == 302
    assert state(db, in_review) is PositionState.BOARD_REVIEW
    other = app.test_client()
    login(other, members[1])
    response = decide(other, in_review, "approve", "D'accord.")
    assert response.status_code == 302
    assert state(db, in_review) is PositionState.APPROVED
    outcome = db.session.scalar(
        sa.select(AuditEvent).filter_by(action="position.board_outcome")
    )
    assert outcome.payload["state"] == ["board_review", "approved"]


def test_a_member_may_change_their_decision_until_the_outcome(
    app, client, in_review, members, db
):
    login(client, members[0])
    decide(client, in_review, "reject", "Trop vague.")
    decide(client, in_review, "approve", "Relu : d'accord.")
    decisions = db.session.scalars(sa.select(BoardDecision)).all()
    assert [(d.choice.value, d.motivation) for d in decisions] == [
        ("approve", "Relu : d'accord.")
    ]
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(BoardDecisionCast))
        == 2
    )


def test_changes_requested_send_it_back_to_draft_with_the_motivation(
    client, in_review, members, representative, db
):
    login(client, members[0])
    decide(client, in_review, "request_changes", "Précisez le financement.")
    assert state(db, in_review) is PositionState.DRAFT
    client.post("/logout")
    login(client, representative)
    page = page_text(client.get(f"/positions/{in_review.id}"))
    assert (
        "Le CA a demandé des modifications" in page
        and "Précisez le financement." in page
    )


def test_a_reject_quorum_archives_it(app, client, in_review, members, db):
    login(client, members[0])
    decide(client, in_review, "reject", "Hors de notre champ.")
    other = app.test_client()
    login(other, members[1])
    decide(other, in_review, "reject", "Pas le bon moment.")
    assert state(db, in_review) is PositionState.REJECTED
    assert db.session.get(Position, in_review.id).board_reason == "Pas le bon moment."


@pytest.mark.parametrize(
    "data,message",
    [
        ({"choice": "approve", "motivation": ""}, "Indiquez la motivation"),
        ({"choice": "approve", "motivation": "x" * 5001}, "5 000 caractères"),
        ({"choice": "maybe", "motivation": "x"}, "Choisissez l'une des options"),
    ],
)
def test_bad_decisions_record_nothing(client, in_review, members, db, data, message):
    login(client, members[0])
    response = client.post(f"/board/positions/{in_review.id}/decide", data=data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BoardDecision)) == 0


def test_no_decision_on_a_position_not_in_review(client, consolidated, members, db):
    login(client, members[0])
    assert decide(client, consolidated, "approve").status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BoardDecision)) == 0


def test_only_board_members(client, in_review, representative, staff, db):
    for person in (representative, staff):
        login(client, person)
        refused(client.get("/board/"), 403)
        refused(decide(client, in_review, "approve"), 403)
        client.post("/logout")
    sent_to_sign_in(client.get("/board/"))
    assert state(db, in_review) is PositionState.BOARD_REVIEW
    assert not db.session.scalar(sa.select(BoardDecision))


def test_unknown_positions(client, members):
    login(client, members[0])
    refused(client.get("/board/positions/99999"), 404)
    refused(client.post("/board/positions/99999/decide"), 404)


@pytest.mark.skipif(not IS_POSTGRES, reason="concurrent writers need PostgreSQL")
def test_two_approvals_arriving_together_settle_once(app, in_review, members, db):
    ids = [m.id for m in members[:2]]
    barrier = threading.Barrier(2, timeout=30)

    def approve(user_id):
        with app.app_context():
            position = _db.session.get(Position, in_review.id)
            user = _db.session.get(User, user_id)
            barrier.wait()
            board.record_board_decision(
                position, choice=BoardChoice.APPROVE, motivation="Oui.", by=user
            )
            _db.session.commit()
            _db.session.remove()

    threads = [threading.Thread(target=approve, args=(i,)) for i in ids]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    db.session.expire_all()
    assert state(db, in_review) is PositionState.APPROVED
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "position.board_outcome")
        )
        == 1
    )
