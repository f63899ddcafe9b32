"""Conflicts of interest on the board: a member whose network led, co-wrote or
voted on a position is told so when deciding, may step aside (or must, by a
setting); a recusal is not counted, and the public statement says how many."""

import pytest
import sqlalchemy as sa

from advocacy.models import (
    AuditEvent,
    BoardChoice,
    BoardDecision,
    BoardRecusal,
    Position,
    PositionState,
)
from tests.conftest import login, page_text, refused


@pytest.fixture
def in_review(walk_position, representative, network):
    """Led by the Vendée network, which also voted on it."""
    return walk_position(lead=network, by=representative, until="board_review")


@pytest.fixture
def conflicted(create_user, network):
    """A board member who also represents the lead network."""
    return create_user(
        email="ca-vendee@example.org",
        display_name="Administratrice vendéenne",
        is_board=True,
        networks=[network],
    )


def decide(client, position, choice="approve", motivation="Texte solide."):
    return client.post(
        f"/board/positions/{position.id}/decide",
        data={"choice": choice, "motivation": motivation},
    )


def recuse(client, position, reason=""):
    return client.post(
        f"/board/positions/{position.id}/recuse", data={"reason": reason}
    )


def test_a_conflicted_member_is_told_steps_aside_and_is_not_counted(
    app, client, db, in_review, conflicted, board_members
):
    login(client, conflicted)
    page = page_text(client.get(f"/board/positions/{in_review.id}"))
    assert "Conflit d'intérêts possible." in page
    assert "Réseau ESS de Vendée pilote cette position." in page
    assert "Réseau ESS de Vendée a voté sur cette position." in page
    assert decide(client, in_review).status_code == 302  # allowed: not mandatory
    answer = recuse(client, in_review, "Mon réseau pilote ce texte.")
    assert answer.status_code == 302
    # the decision is withdrawn, the recusal kept, and a second one changes nothing
    assert db.session.scalar(sa.select(sa.func.count(BoardDecision.id))) == 0
    assert recuse(client, in_review).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(BoardRecusal.id))) == 1
    refused(
        decide(client, in_review),
        409,
        "Vous vous êtes déporté·e de cet examen",
    )
    event = db.session.scalar(
        sa.select(AuditEvent).filter_by(action="position.board_recusal")
    )
    assert event.payload["networks"] == ["Réseau ESS de Vendée"]
    client.post("/logout")

    # the two others approve with the same motivation: approved without the third
    for member in board_members[:2]:
        login(client, member)
        assert "Conflit d'intérêts" not in page_text(
            client.get(f"/board/positions/{in_review.id}")
        )
        decide(client, in_review, motivation="Conforme à la feuille de route.")
        client.post("/logout")
    assert db.session.get(Position, in_review.id).state is PositionState.APPROVED
    login(client, board_members[0])
    page = page_text(client.get(f"/board/positions/{in_review.id}"))
    assert "Mon réseau pilote ce texte." in page  # the board reads why

    from advocacy.services import statements

    version = statements.publish_statement(
        db.session.get(Position, in_review.id), by=board_members[0]
    )
    db.session.commit()
    public = page_text(client.get(f"/statements/{version.statement.slug}"))
    assert public.count("Conforme à la feuille de route.") == 1
    assert "1 membre du CA s'est déporté (conflit d'intérêts)." in public
    assert "Administratrice vendéenne" not in public


@pytest.fixture
def mandatory():
    return {"BOARD_RECUSAL_MANDATORY": True}


@pytest.mark.parametrize("app_config", [{"BOARD_RECUSAL_MANDATORY": True}])
def test_when_the_statutes_say_so_a_conflicted_member_cannot_decide(
    client, db, in_review, conflicted, board_members
):
    login(client, conflicted)
    page = page_text(client.get(f"/board/positions/{in_review.id}"))
    assert "Les statuts vous demandent de vous déporter" in page
    assert "Enregistrer ma décision" not in page
    refused(
        decide(client, in_review), 409, "les statuts vous demandent de vous déporter"
    )
    assert db.session.scalar(sa.select(sa.func.count(BoardDecision.id))) == 0
    assert recuse(client, in_review).status_code == 302
    client.post("/logout")
    # a member without a conflict decides as before
    login(client, board_members[0])
    assert decide(client, in_review).status_code == 302


def test_a_recusal_is_checked_and_nothing_half_written(
    client, db, in_review, conflicted, representative, walk_position, network
):
    login(client, conflicted)
    answer = recuse(client, in_review, "x" * 1001)
    assert answer.status_code == 400
    assert "1 000 caractères au plus." in page_text(answer)
    assert db.session.scalar(sa.select(sa.func.count(BoardRecusal.id))) == 0
    refused(client.post("/board/positions/99999/recuse", data={"reason": ""}), 404)
    draft = walk_position(
        lead=network, by=representative, until="consultation", title="Encore en cours"
    )
    refused(recuse(client, draft), 409, "Cette position n'est pas soumise au CA.")
    client.post("/logout")
    login(client, representative)  # not on the board
    refused(recuse(client, in_review), 403)
    assert db.session.scalar(sa.select(sa.func.count(BoardRecusal.id))) == 0
    assert BoardChoice.APPROVE.value == "approve"
