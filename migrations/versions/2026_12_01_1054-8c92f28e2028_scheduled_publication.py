"""scheduled publication

Revision ID: 8c92f28e2028
Revises: 3c1f0e5a9b27
Create Date: 2026-12-01 10:54:11.033892

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = '8c92f28e2028'
down_revision = '3c1f0e5a9b27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_at', advocacy.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('publish_scheduled_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_positions_publish_at'), ['publish_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_positions_publish_scheduled_by_id_users'), 'users', ['publish_scheduled_by_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_positions_publish_scheduled_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_positions_publish_at'))
        batch_op.drop_column('publish_scheduled_by_id')
        batch_op.drop_column('publish_at')

