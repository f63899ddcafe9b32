"""Vote rounds: an amendment can be put to the vote again in a later round.

Revision ID: 8e1d2c3b4a59
Revises: 70ff51e750da
Create Date: 2026-12-04 05:53:30.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8e1d2c3b4a59'
down_revision = '70ff51e750da'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('round', sa.Integer(), nullable=False, server_default='1')
        )
        batch_op.drop_constraint(batch_op.f('uq_motions_amendment_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_motions_amendment_id'), ['amendment_id', 'round'])
        batch_op.create_index(batch_op.f('ix_motions_amendment_id'), ['amendment_id'], unique=False)

    # Motions opened together form a round; number each position's rounds in order.
    op.execute(
        "UPDATE motions SET round = (SELECT COUNT(DISTINCT m2.opened_at) FROM motions"
        " AS m2 WHERE m2.position_id = motions.position_id"
        " AND m2.opened_at <= motions.opened_at)"
    )
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.alter_column('round', server_default=None)


def downgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_motions_amendment_id'))
        batch_op.drop_constraint(batch_op.f('uq_motions_amendment_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_motions_amendment_id'), ['amendment_id'])
        batch_op.drop_column('round')

