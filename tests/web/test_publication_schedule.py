"""Publishing now or at a chosen moment, several statements together."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from advocacy.demo.walk import skip_to
from advocacy.i18n import utc_to_local
from advocacy.models import Position, PositionState, Statement, StatementVersion, utcnow
from advocacy.services import statements as service
from tests.conftest import login, page_text, refused


@pytest.fixture
def approved(app, db, staff, network):
    """Two positions the board approved, waiting to be published."""
    from advocacy.services import positions as positions_service

    made = []
    for title in ("Pour un emploi durable", "Économie circulaire"):
        position = positions_service.create_position(
            title=title,
            summary="",
            body="# Constat\n\nTexte.",
            lead=network,
            themes=[],
            arenas=[],
            by=staff,
        )
        skip_to(position, PositionState.APPROVED)
        made.append(position)
    db.session.commit()
    return made


def _local(moment: datetime) -> str:
    return utc_to_local(moment).strftime("%Y-%m-%dT%H:%M")


def test_several_published_together_now(app, db, client, staff, approved):
    login(client, staff)
    page = client.get("/board/publications")
    assert page.status_code == 200
    assert "Pour un emploi durable" in page_text(page)
    response = client.post(
        "/board/publications",
        data={"positions": [p.id for p in approved], "when": "now", "confirmed": "yes"},
    )
    assert response.status_code == 302
    versions = db.session.scalars(sa.select(StatementVersion)).all()
    assert len(versions) == 2
    assert versions[0].published_at == versions[1].published_at
    assert all(p.state is PositionState.PUBLISHED for p in approved)


def test_scheduled_then_released_when_the_public_comes(
    app, db, client, staff, approved
):
    login(client, staff)
    moment = (utcnow() + timedelta(hours=2)).replace(second=0, microsecond=0)
    response = client.post(
        "/board/publications",
        data={
            "positions": [p.id for p in approved],
            "when": "later",
            "publish_at": _local(moment),
        },
    )
    assert response.status_code == 302
    assert "seront publiées ensemble" in page_text(client.get("/board/publications"))
    db.session.expire_all()
    assert all(p.publish_at == moment for p in approved)
    client.post("/logout")
    assert "Pour un emploi durable" not in page_text(client.get("/statements/"))
    # the moment comes
    come = utcnow() - timedelta(minutes=1)
    for p in approved:
        p.publish_at = come
    db.session.commit()
    listing = page_text(client.get("/statements/"))
    assert "Pour un emploi durable" in listing and "Économie circulaire" in listing
    dates = db.session.scalars(sa.select(StatementVersion.published_at)).all()
    assert len(set(dates)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 2


def test_release_is_done_once(app, db, staff, approved):
    for p in approved:
        service.schedule_publication(p, at=utcnow() + timedelta(minutes=5), by=staff)
    db.session.commit()
    later = utcnow() + timedelta(minutes=6)
    assert len(service.release_due_publications(later)) == 2
    db.session.commit()
    assert service.release_due_publications(later) == []
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(StatementVersion)) == 2
    )


def test_the_release_command(app, db, staff, approved):
    approved[0].publish_at = utcnow() - timedelta(minutes=1)
    approved[0].publish_scheduled_by_id = staff.id
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["statements", "release"])
    assert result.exit_code == 0, result.output
    assert "published pour-un-emploi-durable v1" in result.output
    assert "1 statement(s) released." in result.output


def test_a_schedule_can_be_cancelled(app, db, client, staff, approved):
    login(client, staff)
    approved[0].publish_at = utcnow() + timedelta(days=1)
    db.session.commit()
    response = client.post(f"/board/publications/{approved[0].id}/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    assert approved[0].publish_at is None
    again = client.post(f"/board/publications/{approved[0].id}/cancel")
    assert again.status_code == 409


@pytest.mark.parametrize(
    "data, message",
    [
        ({"when": "now"}, "Choisissez au moins une déclaration."),
        ({"positions": ["abc"], "when": "now"}, ""),
        ({"positions": ["999999"], "when": "now"}, ""),
        ({"positions": ["{first}"], "when": "soon"}, ""),
        ({"positions": ["{first}"], "when": "later"}, "Choisissez la date et l'heure"),
        (
            {"positions": ["{first}"], "when": "later", "publish_at": "demain"},
            "",
        ),
        (
            {
                "positions": ["{first}"],
                "when": "later",
                "publish_at": "2020-01-01T10:00",
            },
            "Choisissez un moment à venir",
        ),
        (
            {
                "positions": ["{first}"],
                "when": "later",
                "publish_at": "2099-01-01T10:00",
            },
            "au plus un an à l'avance",
        ),
    ],
)
def test_bad_input_writes_nothing(app, db, client, staff, approved, data, message):
    login(client, staff)
    data = {
        k: [v.format(first=approved[0].id) for v in vs] if isinstance(vs, list) else vs
        for k, vs in data.items()
    }
    response = client.post("/board/publications", data=data)
    assert response.status_code == 400
    assert message in page_text(response)
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(StatementVersion)) == 0
    )
    assert all(p.publish_at is None for p in db.session.scalars(sa.select(Position)))


def test_only_staff_and_board_release(client, representative, approved, db):
    login(client, representative)
    refused(client.get("/board/publications"), 403)
    response = client.post(
        "/board/publications", data={"positions": [approved[0].id], "when": "now"}
    )
    refused(response, 403)
    db.session.expire_all()
    assert db.session.get(Position, approved[0].id).state is PositionState.APPROVED
