"""A published version keeps the annexes it was published with (name, type, size,
SHA-256; the contents stay in the storage).

Revision ID: c8b07fae6a4e
Revises: 5b69f18d5df0
Create Date: 2026-12-04 21:22:43.671729

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c8b07fae6a4e'
down_revision = '5b69f18d5df0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('statement_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('annexes', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))



def downgrade():
    with op.batch_alter_table('statement_versions', schema=None) as batch_op:
        batch_op.drop_column('annexes')

