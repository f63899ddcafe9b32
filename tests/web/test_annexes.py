"""Annexes: co-authors attach files, typed by their content, stored once by SHA-256;
readers of the position download them; SVG, HTML and programs are refused."""

import hashlib
import io
import zipfile
from html import unescape

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from advocacy.demo.walk import skip_to
from advocacy.models import Annex, PositionState, StoredFile
from tests.conftest import login, page_text, refused

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def odt() -> bytes:
    """A minimal OpenDocument text, the same bytes at every call (dated 2026-01-01)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in (
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", "<office:document-content/>"),
        ):
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


def upload(client, position, data: bytes, name: str, **extra):
    """Post the file as a browser would (the body encoded here, in memory: the
    test client would spool a large one to a temporary file it never closes)."""
    boundary, body = encode_multipart(
        MultiDict({"file": FileStorage(io.BytesIO(data), filename=name)} | extra)
    )
    return client.post(
        f"/positions/{position.id}/annexes",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_coauthor_attaches_and_readers_download(client, position, people, db):
    login(client, people["anne"])
    response = upload(client, position, PDF, "Étude d'impact 2026.pdf")
    assert response.status_code == 302
    page = unescape(page_text(client.get(f"/positions/{position.id}/annexes")))
    assert (
        "Étude d'impact 2026.pdf" in page
        and hashlib.sha256(PDF).hexdigest()[:16] in page
    )
    annex = db.session.scalar(sa.select(Annex))
    assert (annex.mime, annex.size) == ("application/pdf", len(PDF))
    assert annex.sha256 == hashlib.sha256(PDF).hexdigest()
    login(client, people["bob"])  # a member who reads the position, not a co-author
    got = client.get(f"/positions/{position.id}/annexes/{annex.id}")
    assert got.status_code == 200 and got.data == PDF
    assert got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"].startswith(
        "attachment; filename*=UTF-8''"
    )
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "Joindre un fichier" not in page_text(
        client.get(f"/positions/{position.id}/annexes")
    )


def test_the_same_content_is_stored_once(client, position, people, db):
    login(client, people["anne"])
    content = odt()
    upload(client, position, content, "note.odt")
    upload(client, position, content, "copie.odt")
    assert count(db, Annex) == 2 and count(db, StoredFile) == 1


@pytest.mark.parametrize(
    "data,name,stored,mime",
    [
        (PDF, "rapport.png", "rapport.pdf", "application/pdf"),
        (PNG, "graphique", "graphique.png", "image/png"),
        (
            odt(),
            "../../etc/note.txt",
            "note.odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (PDF, "\u202eelif.pdf", "elif.pdf", "application/pdf"),
    ],
)
def test_the_type_comes_from_the_content(
    client, position, people, db, data, name, stored, mime
):
    login(client, people["anne"])
    assert upload(client, position, data, name).status_code == 302
    annex = db.session.scalar(sa.select(Annex))
    assert (annex.filename, annex.mime) == (stored, mime)


@pytest.mark.parametrize(
    "data,name,status,message",
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
            "logo.png",
            400,
            "SVG et HTML",
        ),
        (b"<!doctype html><p>x</p>", "page.pdf", 400, "SVG et HTML"),
        (b"MZ" + b"\0" * 200, "outil.pdf", 400, "programmes ne peuvent pas"),
        (b"juste du texte", "notes.pdf", 400, "d'aucun type accepté"),
        (b"", "vide.pdf", 400, "Le fichier est vide"),
    ],
)
def test_refused_files_attach_nothing(
    client, position, people, db, data, name, status, message
):
    login(client, people["anne"])
    response = upload(client, position, data, name)
    assert response.status_code == status
    assert message in unescape(page_text(response))
    assert count(db, Annex) == 0 and count(db, StoredFile) == 0


def test_no_file_at_all(client, position, people, db):
    login(client, people["anne"])
    response = client.post(
        f"/positions/{position.id}/annexes", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Choisissez un fichier à joindre" in unescape(page_text(response))


def test_size_and_count_limits(app, client, position, people, db):
    login(client, people["anne"])
    big = PDF + b"0" * (3 * 1024 * 1024)  # above the 2 MiB of other requests
    assert upload(client, position, big, "gros.pdf").status_code == 302
    app.config["ANNEX_MAX_BYTES"] = 1000
    response = upload(client, position, PDF + b"0" * 2000, "trop.pdf")
    assert response.status_code == 413
    assert "au plus 0 Mio" not in unescape(page_text(response))
    app.config["ANNEX_MAX_BYTES"] = 10 * 1024 * 1024
    app.config["ANNEX_MAX_COUNT"] = 1
    response = upload(client, position, PNG, "deux.png")
    assert response.status_code == 409
    assert "au plus 1 annexes" in unescape(page_text(response))
    assert count(db, Annex) == 1


def test_who_may_attach_remove_and_read(client, position, people, db):
    login(client, people["anne"])
    upload(client, position, PDF, "a.pdf")
    annex = db.session.scalar(sa.select(Annex))
    url = f"/positions/{position.id}/annexes/{annex.id}"
    login(client, people["bob"])  # reads, does not write
    refused(upload(client, position, PNG, "b.png"), 403)
    refused(client.post(f"{url}/delete"), 403)
    client.get("/logout")
    client.post("/logout")
    assert client.get(url).status_code in (302, 404)  # the public: not a draft's reader
    login(client, people["anne"])
    assert client.get(f"/positions/{position.id}/annexes/999999").status_code == 404
    skip_to(position, PositionState.CONSULTATION)
    db.session.commit()
    refused(client.post(f"{url}/delete"), 409)  # the text is frozen
    refused(upload(client, position, PNG, "b.png"), 409)
    skip_to(position, PositionState.DRAFT)
    db.session.commit()
    assert client.post(f"{url}/delete").status_code == 302
    assert count(db, Annex) == 0
    assert count(db, StoredFile) == 1  # the content stays for what was published


def test_another_positions_annex_is_not_found(client, position, people, db):
    from tests.web.conftest import draft

    other = draft(people, title="Autre position")
    db.session.commit()
    login(client, people["anne"])
    upload(client, other, PDF, "autre.pdf")
    annex = db.session.scalar(sa.select(Annex))
    assert client.get(f"/positions/{position.id}/annexes/{annex.id}").status_code == 404
    refused(client.post(f"/positions/{position.id}/annexes/{annex.id}/delete"), 404)


def test_annexes_are_frozen_into_the_published_version(client, people, staff, db):
    from pypdf import PdfReader

    from advocacy.services import annexes as annex_service
    from advocacy.services import statements
    from tests.web.conftest import draft

    position = draft(people)
    annex_service.attach(
        position,
        filename="Observatoire ESS 2026.pdf",
        data=PDF,
        by=people["anne"],
        network=people["lead"],
    )
    skip_to(position, PositionState.APPROVED)
    version = statements.publish_statement(position, by=staff)
    db.session.commit()
    digest = hashlib.sha256(PDF).hexdigest()
    slug = version.statement.slug
    # the public reads the list and downloads the file (no sign-in)
    page = unescape(page_text(client.get(f"/statements/{slug}")))
    assert "Observatoire ESS 2026.pdf" in page and f"SHA-256 {digest}" in page
    got = client.get(f"/statements/{slug}/v1/annexes/1")
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    for bad in ("0", "2", "x"):
        assert client.get(f"/statements/{slug}/v1/annexes/{bad}").status_code == 404
    assert client.get(f"/statements/{slug}/v9/annexes/1").status_code == 404
    api = client.get(f"/api/v1/statements/{slug}").get_json()
    listed = api["current_version"]["annexes"]
    assert [(a["filename"], a["size"], a["sha256"]) for a in listed] == [
        ("Observatoire ESS 2026.pdf", len(PDF), digest)
    ]
    assert listed[0]["url"].endswith(f"/statements/{slug}/v1/annexes/1")
    pdf = client.get(f"/statements/{slug}/v1.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Observatoire ESS 2026.pdf" in text and digest[:16] in text.replace("\n", "")
    # the position moves on, its annex removed: the published version keeps it
    skip_to(position, PositionState.DRAFT)
    annex_service.remove(
        db.session.scalar(sa.select(Annex)), position, by=people["anne"]
    )
    db.session.commit()
    assert client.get(f"/statements/{slug}/v1/annexes/1").data == PDF
