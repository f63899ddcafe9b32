"""board review

Revision ID: 224cd879a793
Revises: ceabfe88fa77
Create Date: 2026-12-01 09:14:10.174232

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = '224cd879a793'
down_revision = 'ceabfe88fa77'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('board_decision_casts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('choice', sa.Enum('approve', 'request_changes', 'reject', name='board_cast_choice', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_board_decision_casts_member_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_board_decision_casts_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_decision_casts'))
    )
    with op.batch_alter_table('board_decision_casts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_decision_casts_position_id'), ['position_id'], unique=False)

    op.create_table('board_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('choice', sa.Enum('approve', 'request_changes', 'reject', name='board_choice', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_board_decisions_member_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_board_decisions_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_decisions')),
    sa.UniqueConstraint('position_id', 'round', 'member_id', name=op.f('uq_board_decisions_position_id'))
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board_round', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('submitted_at', advocacy.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('board_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('decided_at', advocacy.models.base.UTCDateTime(), nullable=True))




def downgrade():

    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('decided_at')
        batch_op.drop_column('board_reason')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('board_round')

    op.drop_table('board_decisions')
    with op.batch_alter_table('board_decision_casts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_decision_casts_position_id'))

    op.drop_table('board_decision_casts')

