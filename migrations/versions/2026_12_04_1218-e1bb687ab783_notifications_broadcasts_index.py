"""The latest broadcasts are read backwards from an index of their own.

Revision ID: e1bb687ab783
Revises: 2fc1149af0d9
Create Date: 2026-12-04 12:18:46.431316

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e1bb687ab783'
down_revision = '2fc1149af0d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_broadcasts', ['created_at', 'id'], unique=False, postgresql_where=sa.text('user_id IS NULL'), sqlite_where=sa.text('user_id IS NULL'))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_broadcasts', postgresql_where=sa.text('user_id IS NULL'), sqlite_where=sa.text('user_id IS NULL'))
