"""Steps that cannot be undone ask first: without JavaScript, a page that restates
the consequences and posts the same form again; nothing happens before it."""

import re
from html import unescape

import pytest
import sqlalchemy as sa

from advocacy.demo.walk import skip_to
from advocacy.models import Position, PositionState, StatementVersion
from tests.conftest import login, page_text


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """What the confirmation page's form posts (its hidden inputs)."""
    form = html[html.index('class="confirm-page"') :]
    return [
        (name, unescape(value))
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form
        )
    ]


def post_fields(client, url, fields):
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(url, data=data)


STEPS = [
    (
        "publish",
        PositionState.APPROVED,
        "Publier la déclaration ?",
        "La déclaration sera publique et ne pourra plus être modifiée ; une "
        "nouvelle version restera possible.",
        PositionState.PUBLISHED,
    ),
    (
        "submit",
        PositionState.CONSOLIDATION,
        "Soumettre le texte au CA ?",
        "ne pourra plus être modifié pendant son examen",
        PositionState.BOARD_REVIEW,
    ),
    (
        "consolidation/apply",
        PositionState.CONSOLIDATION,
        "Écrire les amendements adoptés dans le texte ?",
        "une nouvelle version du texte",
        PositionState.CONSOLIDATION,
    ),
]


@pytest.mark.parametrize("path,state,question,consequence,after", STEPS)
def test_an_irreversible_step_asks_first_then_acts_once_confirmed(
    client,
    db,
    staff,
    representative,
    network,
    walk_position,
    path,
    state,
    question,
    consequence,
    after,
):
    if state is PositionState.APPROVED:
        position = walk_position(lead=network, by=staff, until="consultation")
        skip_to(position, state)
    else:
        position = walk_position(lead=network, by=representative, until="consolidation")
    db.session.commit()
    login(client, staff)
    url = f"/positions/{position.id}/{path}"
    # the page that offers the step marks its form for the dialog (writing
    # amendments in is offered once some are adopted: the browser test sees it)
    if path != "consolidation/apply":
        offered = f"/positions/{position.id}"
        html = client.get(offered).get_data(as_text=True)
        form = re.search(rf'<form[^>]*action="{re.escape(url)}"[^>]*>', html)
        assert f'data-confirm="{question}"' in unescape(form.group(0))
    asked = client.post(url)
    text = unescape(page_text(asked))
    assert asked.status_code == 200
    assert question in text and consequence in text and "Annuler" in text
    db.session.expire_all()
    assert db.session.get(Position, position.id).state is state  # nothing yet
    done = post_fields(client, url, hidden_fields(asked.get_data(as_text=True)))
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Position, position.id).state is after


def test_the_dialog_carries_the_same_words(client, db, staff, network, walk_position):
    """With JavaScript, the button's form opens a dialog that says the same."""
    position = walk_position(lead=network, by=staff, until="consultation")
    skip_to(position, PositionState.APPROVED)
    db.session.commit()
    login(client, staff)
    html = unescape(client.get(f"/positions/{position.id}").get_data(as_text=True))
    form = re.search(r'<form[^>]*action="[^"]*/publish"[^>]*>', html).group(0)
    assert 'data-confirm="Publier la déclaration ?"' in form
    assert 'data-confirm-yes="Oui, publier la déclaration"' in form
    assert 'data-confirm-text="La déclaration sera publique' in form
    assert "js/confirm.js" in html


def test_a_refused_step_is_refused_before_anything_is_asked(
    client, db, representative, network, walk_position
):
    position = walk_position(lead=network, by=representative, until="consultation")
    skip_to(position, PositionState.APPROVED)
    db.session.commit()
    login(client, representative)  # leads, but does not publish
    response = client.post(f"/positions/{position.id}/publish")
    assert response.status_code == 403 and "Publier la déclaration ?" not in unescape(
        page_text(response)
    )


def test_several_published_together_after_one_confirmation(
    client, db, staff, network, walk_position
):
    positions = []
    for title in ("Pour un emploi durable", "Pour des achats responsables"):
        position = walk_position(
            lead=network, by=staff, until="consultation", title=title
        )
        skip_to(position, PositionState.APPROVED)
        positions.append(position)
    db.session.commit()
    login(client, staff)
    asked = client.post(
        "/board/publications",
        data={"positions": [p.id for p in positions], "when": "now"},
    )
    assert asked.status_code == 200 and "Publier la déclaration ?" in unescape(
        page_text(asked)
    )
    assert db.session.scalar(sa.select(sa.func.count(StatementVersion.id))) == 0
    fields = hidden_fields(asked.get_data(as_text=True))
    assert sorted(v for n, v in fields if n == "positions") == sorted(
        str(p.id) for p in positions
    )
    done = post_fields(client, "/board/publications", fields)
    assert done.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(StatementVersion.id))) == 2
