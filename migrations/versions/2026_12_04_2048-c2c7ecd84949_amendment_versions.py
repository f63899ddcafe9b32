"""Amendment versions: every wording of an amendment, the first as filed, so that
its network may reword it until the vote and everyone sees what changed.

Revision ID: c2c7ecd84949
Revises: 0d72bb1ecda9
Create Date: 2026-12-04 20:48:17.120162

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = 'c2c7ecd84949'
down_revision = '0d72bb1ecda9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('amendment_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('replace', 'insert_after', 'delete', name='amendment_version_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('proposed', sa.Text(), nullable=False),
    sa.Column('proposed_html', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendments.id'], name=op.f('fk_amendment_versions_amendment_id_amendments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_amendment_versions_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment_versions')),
    sa.UniqueConstraint('amendment_id', 'number', name=op.f('uq_amendment_versions_amendment_id'))
    )
    # each amendment filed so far: its wording as version 1
    op.execute(
        "INSERT INTO amendment_versions (amendment_id, number, kind, proposed,"
        " proposed_html, rationale, author_id, created_at)"
        " SELECT id, 1, kind, proposed, proposed_html, rationale, author_id,"
        " created_at FROM amendments"
    )


def downgrade():
    op.drop_table('amendment_versions')
