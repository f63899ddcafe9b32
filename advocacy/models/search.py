"""The search index of published statements: one document per statement.

``search_documents`` is an ordinary table, the same on both databases: the
title and plain text of the current version (for extracts) and their *terms*,
what the database's own index reads (see :mod:`advocacy.search`). Next to it
each database keeps an index of its own, made by the DDL below:

- SQLite: an FTS5 table over the terms (external content), kept in step by
  triggers, so that every write to ``search_documents`` reaches it;
- PostgreSQL: a ``tsvector`` column generated with the ``french`` text-search
  configuration, title weighted above text, and a GIN index on it.

Alembic does not compare these (``include_name`` below): the models cannot
describe a virtual table or a generated ``tsvector``.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.models.base import Base

SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE search_index USING fts5(terms_title, terms_text,"
    " content='search_documents', content_rowid='statement_id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN"
    " INSERT INTO search_index(rowid, terms_title, terms_text)"
    " VALUES (new.statement_id, new.terms_title, new.terms_text); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN"
    " INSERT INTO search_index(search_index, rowid, terms_title, terms_text)"
    " VALUES ('delete', old.statement_id, old.terms_title, old.terms_text); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN"
    " INSERT INTO search_index(search_index, rowid, terms_title, terms_text)"
    " VALUES ('delete', old.statement_id, old.terms_title, old.terms_text);"
    " INSERT INTO search_index(rowid, terms_title, terms_text)"
    " VALUES (new.statement_id, new.terms_title, new.terms_text); END",
]
POSTGRESQL_INDEX = [
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS"
    " (setweight(to_tsvector('french', terms_title), 'A')"
    " || setweight(to_tsvector('french', terms_text), 'B')) STORED",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
]
#: Objects of the databases' own indexes, which the models do not describe.
INDEX_NAMES = frozenset(
    {
        "tsv",
        "ix_search_documents_tsv",
        "search_index",
        *(f"search_index_{s}" for s in ("data", "idx", "docsize", "config")),
    }
)


def index_ddl(dialect: str) -> list[str]:
    """The statements that build the database's own index of ``search_documents``."""
    return {"sqlite": SQLITE_INDEX, "postgresql": POSTGRESQL_INDEX}.get(dialect, [])


def include_name(name, type_, parent_names) -> bool:
    """For Alembic: leave the databases' own search indexes out of comparisons."""
    return name not in INDEX_NAMES


class SearchDocument(Base):
    """What the search reads of a statement's current version."""

    __tablename__ = "search_documents"

    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Summary and body as plain text, as published (for the extracts).
    text: Mapped[str] = mapped_column(sa.Text)
    terms_title: Mapped[str] = mapped_column(sa.Text)
    terms_text: Mapped[str] = mapped_column(sa.Text)


@sa.event.listens_for(SearchDocument.__table__, "after_create")
def _create_index(target, connection, **kw):
    for statement in index_ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)


@sa.event.listens_for(SearchDocument.__table__, "before_drop")
def _drop_index(target, connection, **kw):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TABLE IF EXISTS search_index")
