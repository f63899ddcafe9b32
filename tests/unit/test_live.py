"""The live document: seeded once from a revision, cut into revisions that credit
who typed, and brought to a revision made another way (no server needed)."""

import pytest
from pycrdt import Doc, Text

from advocacy.models import LiveDocument, RevisionContributor
from advocacy.services import live
from advocacy.services import positions as service

BODY = (
    "Intro — « l'ESS » 😀.\n\n## Constat\n\nTexte.\n\n## Propositions\n\n"
    "1. Une\n   - imbriquée\n\nVoir[^1].\n\n[^1]: [CRESS](https://www.cress-pdl.org/).\n"
)


@pytest.fixture
def draft(db, create_network, create_user):
    lead = create_network(name="Union régionale des Scop")
    partner = create_network(name="Mutuelle de Vendée")
    anne = create_user(display_name="Anne", networks=[lead])
    bob = create_user(display_name="Bob", networks=[partner])
    position = service.create_position(
        title="Titre",
        summary="Résumé",
        body=BODY,
        lead=lead,
        themes=[],
        arenas=[],
        by=anne,
    )
    service.add_coauthor(position, partner, by=anne)
    live.ensure_document(position)
    db.session.commit()
    return position, anne, bob, lead, partner


def typed(position_id: int, person, network, edit) -> None:
    """What an editor sends: an update made on its copy of the document."""
    doc = live.new_doc()
    live.load(position_id, doc)
    before = doc.get_state()
    edit(doc.get("body", type=Text))
    live.append_update(
        position_id, doc.get_update(before), author_id=person.id, network_id=network.id
    )


def test_the_document_is_seeded_once_and_gives_the_text_back_byte_identical(db, draft):
    position, *_ = draft
    live.ensure_document(position)  # a second opening seeds nothing
    db.session.commit()
    assert len(live.updates(position.id)) == 1
    assert live.read(position.id).texts == {
        "title": "Titre",
        "summary": "Résumé",
        "body": BODY,
    }


def test_a_cut_credits_everyone_who_typed_and_nothing_twice(db, draft):
    position, anne, bob, lead, partner = draft
    sections = [s["id"] for s in position.current_revision.sections]
    typed(position.id, bob, partner, lambda t: t.insert(0, "Bob. "))
    typed(position.id, anne, lead, lambda t: t.__iadd__("Anne."))
    typed(position.id, bob, partner, lambda t: t.insert(0, "Encore. "))
    revision = service.cut_live_revision(position, by=anne, network=lead, message="m")
    db.session.commit()
    assert revision.body == "Encore. Bob. " + BODY + "Anne."
    pairs = [
        (c.user_id, c.network_id)
        for c in db.session.query(RevisionContributor).order_by(RevisionContributor.id)
    ]
    assert pairs == [(anne.id, lead.id), (bob.id, partner.id)]
    assert [s["id"] for s in revision.sections] == sections
    # nothing typed since: no new version
    assert (
        service.cut_live_revision(position, by=anne, network=lead, message="") is None
    )
    document = db.session.get(LiveDocument, position.id)
    assert document.cut_update_id == live.read(position.id).last_update_id


def test_an_emptied_live_title_keeps_the_saved_one(db, draft):
    position, anne, _bob, lead, _p = draft
    doc = live.new_doc()
    live.load(position.id, doc)
    before = doc.get_state()
    title = doc.get("title", type=Text)
    del title[0 : len(title)]
    doc.get("body", type=Text).insert(0, "X")
    live.append_update(
        position.id, doc.get_update(before), author_id=anne.id, network_id=lead.id
    )
    revision = service.cut_live_revision(position, by=anne, network=lead, message="")
    assert revision.title == "Titre" and revision.body == "X" + BODY


def test_a_restore_becomes_the_live_text_and_keeps_what_was_typed(db, draft):
    position, anne, bob, lead, partner = draft
    first = position.current_revision
    service.save_revision(
        position,
        title="Titre",
        summary="Résumé",
        body=BODY.replace("Texte.", "Texte révisé — ça change."),
        message="",
        base=first,
        network=lead,
        by=anne,
    )
    db.session.commit()
    assert "révisé" in live.read(position.id).texts["body"]
    typed(position.id, bob, partner, lambda t: t.__iadd__("Ajout de Bob."))
    service.restore_revision(position, first, by=anne, network=lead)
    db.session.commit()
    numbers = [
        r.number
        for r in sorted(position_revisions(db, position), key=lambda r: r.number)
    ]
    assert numbers == [
        1,
        2,
        3,
        4,
    ]  # Bob's typing was kept as version 3 before the restore
    assert live.read(position.id).texts["body"] == BODY
    kept = [r for r in position_revisions(db, position) if r.number == 3][0]
    assert kept.body.endswith("Ajout de Bob.")


def test_a_concurrent_keystroke_survives_the_text_being_replaced(db, draft):
    """An editor typed on the old text while a save replaced it: both survive."""
    position, anne, bob, lead, partner = draft
    stale = live.new_doc()
    live.load(position.id, stale)
    service.save_revision(
        position,
        title="Titre",
        summary="Résumé",
        body=BODY.replace("## Constat", "## Le constat"),
        message="",
        base=position.current_revision,
        network=lead,
        by=anne,
    )
    db.session.commit()
    before = stale.get_state()
    body = stale.get("body", type=Text)
    at = str(body).index("Texte.")
    body.insert(len(str(body)[:at].encode()), "Vraiment. ")
    live.append_update(
        position.id, stale.get_update(before), author_id=bob.id, network_id=partner.id
    )
    text = live.read(position.id).texts["body"]
    assert "## Le constat" in text and "Vraiment. Texte." in text


def position_revisions(db, position):
    from advocacy.models import Revision

    return db.session.query(Revision).filter(Revision.position_id == position.id).all()


def test_edit_towards_counts_characters_not_bytes():
    doc = Doc()
    doc["body"] = Text("Écrire à plusieurs 😀, c'est mieux.")
    live._edit_towards(
        doc.get("body", type=Text), "Écrire ensemble 😀 — c'est bien mieux."
    )
    assert str(doc.get("body", type=Text)) == "Écrire ensemble 😀 — c'est bien mieux."


def test_a_cut_folds_what_it_holds_into_one_update(db, draft):
    """The log stays the size of the text plus what was typed since the last version."""
    position, anne, bob, lead, partner = draft
    stale = live.new_doc()
    live.load(position.id, stale)  # an editor that saw only the seed
    for word in ("Un. ", "Deux. ", "Trois. "):
        typed(position.id, bob, partner, lambda t, w=word: t.insert(0, w))
    service.cut_live_revision(position, by=anne, network=lead, message="")
    db.session.commit()
    assert len(live.updates(position.id)) == 1
    typed(position.id, anne, lead, lambda t: t.__iadd__("Après."))
    rows = live.updates(position.id)
    assert len(rows) == 2
    text = live.read(position.id).texts["body"]
    assert text == "Trois. Deux. Un. " + BODY + "Après."
    # the editor that saw only the seed catches up from the folded log
    for _id, data in rows:
        stale.apply_update(data)
    assert str(stale.get("body", type=Text)) == text
    # the next version credits only who typed since
    revision = service.cut_live_revision(position, by=None, network=None, message="")
    db.session.commit()
    assert [c.user_id for c in revision.contributors] == [anne.id]


@pytest.mark.parametrize(
    "field, length, says",
    [
        ("title", 201, "Un titre compte au plus 200 caractères."),
        ("summary", 1001, "Un résumé compte au plus 1 000 caractères."),
        ("body", 200_001, "Le texte compte au plus 200 000 caractères."),
    ],
)
def test_a_live_text_longer_than_the_forms_allow_is_refused_not_cut(
    db, draft, field, length, says
):
    position, anne, _bob, lead, _p = draft
    doc = live.new_doc()
    live.load(position.id, doc)
    before = doc.get_state()
    text = doc.get(field, type=Text)
    del text[0 : len(str(text).encode())]
    text += "x" * length
    live.append_update(
        position.id, doc.get_update(before), author_id=anne.id, network_id=lead.id
    )
    db.session.commit()
    with pytest.raises(service.ServiceError) as refusal:
        service.cut_live_revision(position, by=anne, network=lead, message="")
    assert str(refusal.value) == says
    db.session.rollback()
    assert live.read(position.id).texts[field] == "x" * length  # nothing lost


def test_every_step_that_ends_the_writing_keeps_what_was_typed_live():
    """A new step out of the writing must call keep_live_text like these three."""
    from advocacy.services.lifecycle import STEPS, ends_writing

    assert {step for step in STEPS if ends_writing(step)} == {
        "consultation_open",
        "submit",
        "withdraw",
    }


def test_withdrawing_a_draft_keeps_what_was_typed_live(db, draft):
    position, anne, bob, _lead, partner = draft
    typed(position.id, bob, partner, lambda t: t.__iadd__("Dernier mot de Bob."))
    service.withdraw_position(position, reason="Fusionnée avec une autre.", by=anne)
    db.session.commit()
    assert position.current_revision.number == 2
    assert position.current_revision.body.endswith("Dernier mot de Bob.")
    assert [c.user_id for c in position.current_revision.contributors] == [bob.id]
