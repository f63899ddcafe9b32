"""Co-writing: revisions, merges, conflicts, restores, co-authors, and concurrent saves."""

import threading

import pytest
import sqlalchemy as sa

from advocacy.extensions import db as _db
from advocacy.models import (
    Arena,
    AuditEvent,
    Position,
    PositionState,
    Revision,
    RevisionSource,
)
from advocacy.models.audit import AppendOnlyError
from advocacy.services import ServiceError
from advocacy.services import positions as service
from tests.conftest import IS_POSTGRES

BODY = "Introduction.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."


@pytest.fixture
def position(db, representative, network, request_context):
    position = service.create_position(
        title="Pour un emploi durable",
        summary="Résumé",
        body=BODY,
        lead=network,
        themes=[],
        arenas=[Arena.REGIONAL],
        by=representative,
    )
    db.session.commit()
    return position


@pytest.fixture
def request_context(app):
    yield


def save(position, base, by, network, **changes):
    current = position.current_revision
    values = {
        "title": current.title,
        "summary": current.summary,
        "body": current.body,
        "message": "",
    }
    values.update(changes)
    return service.save_revision(position, base=base, by=by, network=network, **values)


def test_creation_writes_the_first_revision(position, representative, network, db):
    revision = position.current_revision
    assert revision.number == 1 and revision.source is RevisionSource.CREATE
    assert revision.author_id == representative.id and revision.network_id == network.id
    assert len(revision.sections) == 3
    assert all(f'id="{s["id"]}"' in revision.body_html for s in revision.sections)
    assert position.arenas == [Arena.REGIONAL]
    assert (
        db.session.scalar(
            sa.select(AuditEvent.action).where(AuditEvent.object_type == "position")
        )
        == "position.create"
    )


def test_saving_on_the_current_base_creates_a_revision(
    position, representative, network, db
):
    base = position.current_revision
    result = save(
        position,
        base,
        representative,
        network,
        body=BODY + "\n\nAjout.",
        message="ajout",
    )
    db.session.commit()
    assert result.revision.number == 2 and result.merged_with == []
    assert result.revision.base_revision_id == base.id
    assert position.current_revision.body.endswith("Ajout.")
    # the untouched sections kept their ids
    assert [s["id"] for s in result.revision.sections[:3]] == [
        s["id"] for s in base.sections
    ]


def test_saving_nothing_new_creates_nothing(position, representative, network, db):
    result = save(position, position.current_revision, representative, network)
    assert result.unchanged
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Revision)) == 1


def test_non_overlapping_concurrent_saves_are_merged(
    position, representative, network, create_user, db
):
    other = create_user(display_name="Autre Plume", networks=[network])
    base = position.current_revision
    save(
        position,
        base,
        other,
        network,
        body=BODY.replace("Introduction.", "Introduction revue."),
    )
    db.session.commit()
    result = save(
        position,
        base,
        representative,
        network,
        body=BODY.replace("Relocaliser.", "Relocaliser les achats."),
        title="Pour un emploi durable en région",
    )
    db.session.commit()
    assert result.revision.source is RevisionSource.MERGE
    assert result.merged_with == ["Autre Plume"]
    body = position.current_revision.body
    assert "Introduction revue." in body and "Relocaliser les achats." in body
    assert position.title == "Pour un emploi durable en région"


def test_overlapping_saves_conflict_and_save_nothing(
    position, representative, network, create_user, db
):
    other = create_user(display_name="Autre Plume", networks=[network])
    base = position.current_revision
    save(
        position,
        base,
        other,
        network,
        body=BODY.replace("L'emploi progresse.", "Version A."),
    )
    db.session.commit()
    with pytest.raises(service.EditConflict) as caught:
        save(
            position,
            base,
            representative,
            network,
            body=BODY.replace("L'emploi progresse.", "Version B."),
        )
    db.session.rollback()
    conflict = caught.value
    assert conflict.current.number == 2
    assert conflict.merges["body"].conflicts == [("Version A.", "Version B.")]
    assert "<<<<<<< " in conflict.merges["body"].text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Revision)) == 2


@pytest.mark.parametrize(
    "picks,expected",
    [
        ([("theirs", ""), ("mine", "")], "A1\nsame\nB2"),
        ([("mine", ""), ("theirs", "")], "B1\nsame\nA2"),
        ([("both", ""), ("both", "")], "A1\nB1\nsame\nA2\nB2"),
        ([("edit", "C1\r\n"), ("edit", "")], "C1\nsame"),
    ],
)
def test_each_conflict_is_settled_by_its_own_choice(picks, expected):
    merge = service.merge_field(
        "1\nsame\n2", "A1\nsame\nA2", "B1\nsame\nB2", saved_label="s", mine_label="m"
    )
    assert merge.conflicts == [("A1", "B1"), ("A2", "B2")]
    assert service.resolve(merge, picks) == expected
    with pytest.raises(ValueError):
        service.resolve(merge, picks[:1])


def test_title_conflicts_too(position, representative, network, create_user, db):
    other = create_user(networks=[network])
    base = position.current_revision
    save(position, base, other, network, title="Titre A")
    db.session.commit()
    with pytest.raises(service.EditConflict) as caught:
        save(position, base, representative, network, title="Titre B")
    assert caught.value.merges["title"].conflicted


def test_conflict_markers_left_in_are_refused(position, representative, network, db):
    text = "<<<<<<< Version enregistrée 2\nA\n=======\nB\n>>>>>>> Votre version"
    with pytest.raises(ServiceError) as caught:
        save(position, position.current_revision, representative, network, body=text)
    assert caught.value.status == 400


def test_a_base_from_another_position_is_refused(position, representative, network, db):
    other = service.create_position(
        title="Autre",
        summary="",
        body="x",
        lead=network,
        themes=[],
        arenas=[],
        by=representative,
    )
    db.session.commit()
    with pytest.raises(ServiceError) as caught:
        save(position, other.current_revision, representative, network, body="y")
    assert caught.value.status == 400


def test_restore_creates_a_new_revision(position, representative, network, db):
    first = position.current_revision
    save(position, first, representative, network, body="Tout autre texte.")
    db.session.commit()
    restored = service.restore_revision(
        position, first, by=representative, network=network
    )
    db.session.commit()
    assert restored.number == 3 and restored.source is RevisionSource.RESTORE
    assert restored.restored_number == 1 and restored.body == BODY
    assert [s["id"] for s in restored.sections] != []


def test_revisions_are_append_only(position, db):
    revision = position.current_revision
    revision.body = "tampered"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_coauthors(position, representative, create_network, db):
    partner = create_network(name="Mutuelle solidaire")
    service.add_coauthor(position, partner, by=representative)
    db.session.commit()
    assert position.author_network_ids == {position.lead_network_id, partner.id}
    with pytest.raises(ServiceError) as twice:
        service.add_coauthor(position, partner, by=representative)
    assert twice.value.status == 409
    db.session.rollback()
    with pytest.raises(ServiceError):
        service.remove_coauthor(position, position.lead_network, by=representative)
    db.session.rollback()
    service.remove_coauthor(position, partner, by=representative)
    db.session.commit()
    assert position.coauthors == []


def test_withdrawal_ends_editing(position, representative, network, db):
    service.withdraw_position(
        position, reason="Sujet repris au niveau national.", by=representative
    )
    db.session.commit()
    assert position.state is PositionState.WITHDRAWN
    with pytest.raises(ServiceError) as caught:
        save(position, position.current_revision, representative, network, body="x")
    assert caught.value.status == 409
    db.session.rollback()
    with pytest.raises(ServiceError):
        service.withdraw_position(position, reason="encore", by=representative)


def test_the_state_is_checked_by_the_database(position, db):
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.text("UPDATE positions SET state = 'lost' WHERE id = :id"),
            {"id": position.id},
        )
        db.session.flush()
    db.session.rollback()


@pytest.mark.skipif(not IS_POSTGRES, reason="concurrent writers need PostgreSQL")
def test_concurrent_saves_on_postgresql_lose_nothing(
    app, position, network, create_user, db
):
    """Eight people save at once from the same base, each changing their own line."""
    lines = [f"Ligne {i}." for i in range(8)]
    base_body = "\n\n".join(lines)
    base = save(
        position,
        position.current_revision,
        position.created_by,
        network,
        body=base_body,
    ).revision
    db.session.commit()
    writers = [
        create_user(display_name=f"Plume {i}", networks=[network]) for i in range(8)
    ]
    ids = [(w.id, i) for i, w in enumerate(writers)]
    position_id, base_id, network_id = position.id, base.id, network.id
    barrier = threading.Barrier(len(ids), timeout=30)
    outcomes: list[str] = []

    def write(user_id: int, index: int) -> None:
        with app.app_context():
            from advocacy.models import Network, User

            position = _db.session.get(Position, position_id)
            base = _db.session.get(Revision, base_id)
            body = "\n\n".join(
                f"Ligne {i} revue par {index}." if i == index else f"Ligne {i}."
                for i in range(8)
            )
            barrier.wait()
            result = service.save_revision(
                position,
                title=base.title,
                summary=base.summary,
                body=body,
                message="",
                base=base,
                network=_db.session.get(Network, network_id),
                by=_db.session.get(User, user_id),
            )
            _db.session.commit()
            outcomes.append(result.revision.source.value)
            _db.session.remove()

    threads = [threading.Thread(target=write, args=pair) for pair in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 8
    db.session.expire_all()
    final = db.session.get(Position, position_id).current_revision
    for i in range(8):
        assert f"Ligne {i} revue par {i}." in final.body
    numbers = db.session.scalars(
        sa.select(Revision.number)
        .where(Revision.position_id == position_id)
        .order_by(Revision.number)
    ).all()
    assert numbers == list(range(1, 11))
