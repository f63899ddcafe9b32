"""Documents made from published statements: each version's PDF, laid out once.

Laying out a PDF takes about a second; a published version never changes, but
its signatories may. The PDF is kept per version and language with the key of
the signatories it shows; while the key is the same, a request is one lookup.
"""

import hashlib

import sqlalchemy as sa
from flask_babel import get_locale

from advocacy import pdf
from advocacy.extensions import db
from advocacy.models import (
    Network,
    Signature,
    Statement,
    StatementPdf,
    StatementVersion,
)
from advocacy.queries.statements import signatures_of


def signatories_key(statement: Statement) -> str:
    """What the signatories of a statement look like now, in 64 characters."""
    row = db.session.execute(
        sa.select(
            sa.func.count(Signature.id),
            sa.func.max(Signature.id),
            sa.func.sum(Signature.id),
            sa.func.max(Network.updated_at),
        )
        .join(Network, Network.id == Signature.network_id)
        .where(Signature.statement_id == statement.id)
    ).one()
    return hashlib.sha256(repr(tuple(row)).encode()).hexdigest()


def statement_pdf(statement: Statement, version: StatementVersion) -> bytes:
    """The PDF of ``version`` in the page's language: the kept one if its
    signatories are still those it shows, else laid out now and added to the
    session, to be kept when the caller commits (two requests may lay out the
    same PDF at once: the second commit fails, and its PDF is as good)."""
    locale = str(get_locale())
    key = signatories_key(statement)
    kept = db.session.get(StatementPdf, (version.id, locale))
    if kept is not None and kept.key == key:
        return kept.pdf
    made = pdf.statement_pdf(statement, version, signatures_of(statement))
    if kept is None:
        db.session.add(
            StatementPdf(version_id=version.id, locale=locale, key=key, pdf=made)
        )
    else:
        kept.key, kept.pdf = key, made
    return made
