"""The PDF of each version: a real PDF with the text, the signatories and the date."""

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from advocacy import pdf
from advocacy.models import Signature, StatementPdf
from tests.conftest import refused


def _text(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    return "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages
    )


def test_the_pdf_carries_the_text_signatories_and_date(
    app, db, client, publish, create_network
):
    version = publish("Pour un emploi durable", "# Constat\n\nL'emploi progresse.")
    partner = create_network(name="Mutuelle de Sarthe")
    db.session.add(Signature(statement_id=version.statement_id, network_id=partner.id))
    db.session.commit()
    response = client.get(f"/statements/{version.statement.slug}/v1.pdf")
    text = _text(response)
    assert "CRESS Pays de la Loire" in text
    assert "Pour un emploi durable" in text
    assert "L'emploi progresse." in text or "L’emploi progresse." in text
    assert "Mutuelle de Sarthe" in text
    assert "Réseau ESS de Vendée" in text
    assert "Version 1" in text
    assert (
        'filename="pour-un-emploi-durable-v1.pdf"'
        in response.headers["Content-Disposition"]
    )


def test_a_new_signature_makes_a_new_pdf(db, client, publish, create_network):
    version = publish()
    url = f"/statements/{version.statement.slug}/v1.pdf"
    before = client.get(url)
    db.session.add(
        Signature(
            statement_id=version.statement_id,
            network_id=create_network(name="Union régionale des Scop").id,
        )
    )
    db.session.commit()
    after = client.get(url)
    assert "Union régionale des Scop" in _text(after)
    assert before.headers["ETag"] != after.headers["ETag"]


def test_a_pdf_is_laid_out_once_per_language_and_signatories(
    db, client, publish, create_network, monkeypatch
):
    version = publish()
    url = f"/statements/{version.statement.slug}/v1.pdf"
    first = client.get(url)
    kept = db.session.scalars(sa.select(StatementPdf)).all()
    assert [(k.version_id, k.locale) for k in kept] == [(version.id, "fr")]

    def no_layout(html):
        raise AssertionError("laid out again")

    monkeypatch.setattr(pdf, "_render", no_layout)
    assert client.get(url).data == first.data  # sent as kept
    monkeypatch.undo()
    english = client.get(url, headers={"Accept-Language": "en"})
    assert "Signatories" in _text(english) or "signator" in _text(english).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatementPdf)) == 2
    # a renamed signatory lays the PDF out again
    partner = create_network(name="Mutuelle de Sarthe")
    db.session.add(Signature(statement_id=version.statement_id, network_id=partner.id))
    db.session.commit()
    assert "Mutuelle de Sarthe" in _text(client.get(url))
    partner.name = "Mutuelle ligérienne"
    db.session.commit()
    assert "Mutuelle ligérienne" in _text(client.get(url))


def test_the_pdf_loads_nothing_from_outside(client, publish):
    version = publish(
        "Images", "# Constat\n\n![pixel](http://tracker.example/p.png) Texte."
    )
    assert "Texte" in _text(client.get(f"/statements/{version.statement.slug}/v1.pdf"))


@pytest.mark.parametrize(
    "path", ["/statements/nope/v1.pdf", "/statements/{slug}/v9.pdf"]
)
def test_unknown_statement_or_version(client, publish, path):
    version = publish()
    response = client.get(path.format(slug=version.statement.slug))
    assert response.mimetype == "text/html"  # an error page, not a PDF
    refused(response, 404)


def test_the_page_links_to_its_pdf(client, publish):
    version = publish()
    html = client.get(f"/statements/{version.statement.slug}").get_data(as_text=True)
    assert f'href="/statements/{version.statement.slug}/v1.pdf"' in html


def test_the_current_version_has_its_own_address(client, publish):
    version = publish("Pour un emploi durable")
    response = client.get("/statements/pour-un-emploi-durable.pdf")
    assert "Pour un emploi durable" in _text(response)
    assert (
        'filename="pour-un-emploi-durable-v1.pdf"'
        in response.headers["Content-Disposition"]
    )
    assert version.number == 1
    assert client.get("/statements/nope.pdf").status_code == 404


def test_two_readers_laying_out_the_same_pdf_both_get_it(
    db, client, publish, monkeypatch
):
    """Another request keeps the PDF while this one lays it out: no error."""
    version = publish()
    url = f"/statements/{version.statement.slug}/v1.pdf"
    real = pdf._render

    def meanwhile_kept_elsewhere(html):
        made = real(html)
        with db.engine.begin() as other:
            other.execute(
                sa.insert(StatementPdf).values(
                    version_id=version.id, locale="fr", key="another", pdf=made
                )
            )
        return made

    monkeypatch.setattr(pdf, "_render", meanwhile_kept_elsewhere)
    response = client.get(url)
    assert "Pour un emploi durable" in _text(response)
