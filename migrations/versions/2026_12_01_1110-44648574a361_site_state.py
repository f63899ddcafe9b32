"""site state

Revision ID: 44648574a361
Revises: 8c92f28e2028
Create Date: 2026-12-01 11:10:38.400479

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '44648574a361'
down_revision = '8c92f28e2028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_state'))
    )
    op.execute("INSERT INTO site_state (id, generation) VALUES (1, 0)")


def downgrade():
    op.drop_table('site_state')
