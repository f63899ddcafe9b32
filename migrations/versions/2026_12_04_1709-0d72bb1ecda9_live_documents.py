"""Live co-writing: a position's Yjs document as a log of updates, and who wrote
each revision cut from it.

Revision ID: 0d72bb1ecda9
Revises: e1bb687ab783
Create Date: 2026-12-04 17:09:26.517894

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = '0d72bb1ecda9'
down_revision = 'e1bb687ab783'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_documents',
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('cut_update_id', sa.Integer(), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_live_documents_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('position_id', name=op.f('pk_live_documents'))
    )
    op.create_table('live_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_live_updates_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_live_updates_network_id_networks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['position_id'], ['live_documents.position_id'], name=op.f('fk_live_updates_position_id_live_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_updates'))
    )
    with op.batch_alter_table('live_updates', schema=None) as batch_op:
        batch_op.create_index('ix_live_updates_position_id_id', ['position_id', 'id'], unique=False)

    op.create_table('revision_contributors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_revision_contributors_network_id_networks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_revision_contributors_revision_id_revisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_revision_contributors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision_contributors'))
    )
    with op.batch_alter_table('revision_contributors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_contributors_revision_id'), ['revision_id'], unique=False)



def downgrade():
    with op.batch_alter_table('revision_contributors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_contributors_revision_id'))

    op.drop_table('revision_contributors')
    with op.batch_alter_table('live_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_live_updates_position_id_id')

    op.drop_table('live_updates')
    op.drop_table('live_documents')
