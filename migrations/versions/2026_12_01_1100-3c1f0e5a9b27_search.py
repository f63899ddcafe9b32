"""search index of published statements

Revision ID: 3c1f0e5a9b27
Revises: 20eb162b7892
Create Date: 2026-12-01 11:00:00

"""
import sqlalchemy as sa
from alembic import op

from advocacy.markup import plain_text
from advocacy.models.search import index_ddl
from advocacy.search import terms

# revision identifiers, used by Alembic.
revision = '3c1f0e5a9b27'
down_revision = '20eb162b7892'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_documents',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('terms_title', sa.Text(), nullable=False),
    sa.Column('terms_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_search_documents_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', name=op.f('pk_search_documents'))
    )
    bind = op.get_bind()
    dialect = bind.dialect.name
    for statement in index_ddl(dialect):
        op.execute(statement)
    # Index the statements already published.
    rows = bind.execute(sa.text(
        "SELECT s.id, v.title, v.summary, v.body_html FROM statements s"
        " JOIN statement_versions v ON v.id = s.current_version_id"
    )).all()
    documents = sa.table(
        'search_documents', *(sa.column(c) for c in
        ('statement_id', 'title', 'text', 'terms_title', 'terms_text'))
    )
    for statement_id, title, summary, body_html in rows:
        text = " ".join(filter(None, [summary, plain_text(body_html)]))
        bind.execute(documents.insert().values(
            statement_id=statement_id, title=title, text=text,
            terms_title=terms(title, dialect), terms_text=terms(text, dialect),
        ))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_index")
    op.drop_table('search_documents')
