"""PDF of a published statement version, made with WeasyPrint.

Everything the document needs is local: its stylesheet is read from the
package and fonts come from the system (DejaVu on Debian); WeasyPrint is never
allowed to fetch anything over the network, even if a text held a link to an
image somewhere.

A version is immutable, but its list of signatories is not: the PDFs are
kept in the database by ``services/documents.py``, with the key of the
signatories they show. WeasyPrint is imported when a PDF is laid out, not when
the app starts.
"""

from functools import lru_cache
from importlib import resources

from flask import render_template

#: The stylesheet of the documents, read once.
_STYLESHEET = resources.files("advocacy").joinpath("static/css/pdf.css")


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"PDF documents load nothing from outside: {url}")


@lru_cache(maxsize=1)
def _stylesheet():
    from weasyprint import CSS

    return CSS(string=_STYLESHEET.read_text(encoding="utf-8"))


def _render(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(
        stylesheets=[_stylesheet()]
    )


def statement_pdf(statement, version, signatures) -> bytes:
    """The PDF of ``version``, with its signatories and date, in the page's language."""
    html = render_template(
        "pdf/statement.html",
        statement=statement,
        version=version,
        signatures=signatures,
    )
    return _render(html)


def record_pdf(**context) -> bytes:
    """The record of a position (what its consultation, vote and board decided)."""
    return _render(render_template("pdf/record.html", **context))
