"""The record of a position (page and PDF, for members and the board) and the
ballots as CSV and ODS (can_export_ballots: staff and the board, networks and
never persons)."""

import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from pypdf import PdfReader

from advocacy.models import AmendmentKind, BallotChoice, BoardChoice, Comment, utcnow
from advocacy.services import amendments, board, consolidation, consultation, votes
from tests.conftest import login, page_text, refused

BODY = (
    "Préambule.\n\n# Constat\n\nL'emploi progresse.\n\n# Propositions\n\nRelocaliser."
)


@pytest.fixture
def decided(db, people, walk_position):
    """A position through consultation (two comments, one amendment), a vote and
    the board's approval."""
    anne, bob = people["anne"], people["bob"]
    position = walk_position(
        lead=people["lead"], by=anne, until="consultation", body=BODY, days=7
    )
    constat = position.current_revision.sections[1]["id"]
    consultation.post_comment(
        position, body="Ajoutons les chiffres.", by=bob, network=people["partner"]
    )
    consultation.post_comment(
        position,
        body="Citons l'observatoire.",
        by=bob,
        network=people["partner"],
        section_id=constat,
    )
    amendment, _ = amendments.file_amendment(
        position,
        section_id=constat,
        kind=AmendmentKind.REPLACE,
        proposed="# Constat\n\nL'emploi progresse nettement.",
        rationale="Plus précis.",
        network=people["partner"],
        by=bob,
        form_token=amendments.new_form_token(),
    )
    amendments.decide_amendment(
        amendment, position, decision="to_vote", reason="", by=anne
    )
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    for motion in votes.open_vote(
        position, closes_at=utcnow() + timedelta(days=1), by=anne
    ):
        for network, person in ((people["lead"], anne), (people["partner"], bob)):
            votes.cast_ballot(
                motion, position, network=network, choice=BallotChoice.FOR, by=person
            )
    position.vote_closes_at = utcnow() - timedelta(seconds=1)
    votes.close_vote(position, by=anne)
    consolidation.apply_amendments(position, by=anne)
    board.submit_to_board(position, by=anne)
    for member in (people["ca1"], people["ca2"]):
        board.record_board_decision(
            position, choice=BoardChoice.APPROVE, motivation="Texte solide.", by=member
        )
    db.session.commit()
    return position


def test_the_record_shows_what_was_decided(client, decided, people):
    login(client, people["ca1"])  # the board reads it too
    response = client.get(f"/positions/{decided.id}/record")
    assert response.status_code == 200
    text = unescape(page_text(response))
    assert "Le texte soumis à la consultation" in text
    assert "L'emploi progresse." in text  # as it went to consultation
    assert "Sur l'ensemble du texte" in text and "Ajoutons les chiffres." in text
    assert "Citons l'observatoire." in text and "Constat" in text
    assert "Mutuelle de Vendée" in text and "Plus précis." not in text
    assert "Adopté" in text and "Par famille de l'ESS" in text
    assert "Texte solide." in text and "CA 2" in text
    assert "Bulletins, réseau par réseau (CSV)" in text  # the board downloads them


def test_the_record_as_a_pdf(client, decided, people):
    login(client, people["bob"])
    response = client.get(f"/positions/{decided.id}/record.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages
    )
    assert "Pour un emploi durable" in text and "Citons l'observatoire." in text
    assert "Adopté" in text and "Texte solide." in text


def test_the_public_has_no_record(client, decided):
    assert client.get(f"/positions/{decided.id}/record").status_code == 404
    assert client.get(f"/positions/{decided.id}/record.pdf").status_code == 404


def test_staff_download_the_ballots_by_network(client, decided, people, staff, db):
    people["partner"].name = '=HYPERLINK("http://x")'  # a name a sheet would run
    db.session.commit()
    login(client, staff)
    page = unescape(page_text(client.get(f"/positions/{decided.id}/record")))
    assert "Bulletins, réseau par réseau (CSV)" in page
    response = client.get(f"/positions/{decided.id}/vote/ballots.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    )
    assert rows[0][:3] == ["Tour", "Question", "Réseau"]
    assert len(rows) == 1 + 2 * 2  # two motions, two networks each
    networks = {row[2] for row in rows[1:]}
    assert networks == {"Union régionale des Scop", '\'=HYPERLINK("http://x")'}
    assert {row[5] for row in rows[1:]} == {"Pour"}
    assert "Anne" not in response.get_data(as_text=True)  # networks, not persons

    # the same table as an OpenDocument spreadsheet, for the board too
    client.post("/logout")
    login(client, people["ca1"])
    sheet = client.get(f"/positions/{decided.id}/vote/ballots.ods")
    assert sheet.status_code == 200
    assert sheet.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    from odf.opendocument import load
    from odf.table import TableCell, TableRow

    document = load(io.BytesIO(sheet.data))
    cells = [
        row.getElementsByType(TableCell)
        for row in document.spreadsheet.getElementsByType(TableRow)
    ]
    # a name that looks like a formula stays text: no cell carries a formula
    assert not any(cell.getAttribute("formula") for row in cells for cell in row)
    table = [[str(cell) for cell in row] for row in cells]
    assert table == [[v.removeprefix("'") for v in row] for row in rows]


def test_the_ballots_are_for_staff_once_the_vote_is_over(
    client, people, staff, walk_position, db
):
    position = walk_position(
        lead=people["lead"], by=people["anne"], until="consultation"
    )
    db.session.commit()
    url = f"/positions/{position.id}/vote/ballots.csv"
    login(client, people["anne"])  # the lead's representative: not staff
    refused(client.get(url), 403)
    refused(client.get(url.replace(".csv", ".ods")), 403)
    login(client, staff)
    assert client.get(url).status_code == 404  # never put to the vote
    position.consultation_closes_at = utcnow() - timedelta(seconds=1)
    votes.open_vote(position, closes_at=utcnow() + timedelta(days=1), by=staff)
    db.session.commit()
    refused(client.get(url), 409)  # under way
    refused(client.get(url.replace(".csv", ".ods")), 409)
    assert client.get("/positions/999999/vote/ballots.csv").status_code == 404


def test_the_record_costs_the_same_with_more_comments(
    client, decided, people, count_queries, db
):
    login(client, people["ca1"])
    url = f"/positions/{decided.id}/record"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for k in range(5):  # five more threads, on the whole text and on sections
        db.session.add(
            Comment(
                position_id=decided.id,
                revision_id=decided.current_revision_id,
                body=f"Commentaire {k}.",
                body_html=f"<p>Commentaire {k}.</p>",
                author_id=people["bob"].id,
                network_id=people["partner"].id,
            )
        )
    db.session.commit()
    with count_queries() as more:
        response = client.get(url)
    assert "Commentaire 4." in page_text(response)
    assert more.count == few.count
