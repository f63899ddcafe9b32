"""Annexes: files attached to a position, and their contents stored once by SHA-256
(the database storage of advocacy/storage.py).

Revision ID: 5b69f18d5df0
Revises: c2c7ecd84949
Create Date: 2026-12-04 21:10:29.079442

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = '5b69f18d5df0'
down_revision = 'c2c7ecd84949'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_files',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_stored_files'))
    )
    op.create_table('annexes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_annexes_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_annexes_network_id_networks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_annexes_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annexes'))
    )
    with op.batch_alter_table('annexes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annexes_position_id'), ['position_id'], unique=False)



def downgrade():
    with op.batch_alter_table('annexes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annexes_position_id'))

    op.drop_table('annexes')
    op.drop_table('stored_files')
