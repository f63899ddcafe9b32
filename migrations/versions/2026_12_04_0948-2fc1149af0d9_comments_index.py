"""A page of the discussion reads its top-level comments in order from an index.

Revision ID: 2fc1149af0d9
Revises: 3d4c3eed600b
Create Date: 2026-12-04 09:48:03.697754

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2fc1149af0d9'
down_revision = '3d4c3eed600b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_top_level', ['position_id', 'id'], unique=False, postgresql_where=sa.text('parent_id IS NULL'), sqlite_where=sa.text('parent_id IS NULL'))



def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_top_level', postgresql_where=sa.text('parent_id IS NULL'), sqlite_where=sa.text('parent_id IS NULL'))

