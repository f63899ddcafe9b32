"""Each version's PDF kept once laid out; an index for the lists' order (published_at, id).

Revision ID: 3d4c3eed600b
Revises: 9e1e27ec6612
Create Date: 2026-12-04 09:06:41.983781

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = '3d4c3eed600b'
down_revision = '9e1e27ec6612'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('statement_pdfs',
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['statement_versions.id'], name=op.f('fk_statement_pdfs_version_id_statement_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('version_id', 'locale', name=op.f('pk_statement_pdfs'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index('ix_statements_published_id', ['published_at', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index('ix_statements_published_id')

    op.drop_table('statement_pdfs')
