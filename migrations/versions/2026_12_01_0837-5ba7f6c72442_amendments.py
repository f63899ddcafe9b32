"""amendments

Revision ID: 5ba7f6c72442
Revises: 7dcca1ed4c6b
Create Date: 2026-12-01 08:37:30.951222

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = '5ba7f6c72442'
down_revision = '7dcca1ed4c6b'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.String(length=16), nullable=False),
    sa.Column('section_text', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('replace', 'insert_after', 'delete', name='amendment_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('proposed', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('rationale_html', sa.Text(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('filed', 'to_vote', 'declined', 'integrated', 'withdrawn', 'adopted', 'rejected', name='amendment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.Column('form_token', sa.String(length=43), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_amendments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_amendments_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_amendments_network_id_networks')),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_amendments_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_amendments_revision_id_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendments')),
    sa.UniqueConstraint('form_token', name=op.f('uq_amendments_form_token')),
    sa.UniqueConstraint('position_id', 'number', name=op.f('uq_amendments_position_id'))
    )
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendments_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_amendments_section_id'), ['section_id'], unique=False)

    op.create_table('amendment_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendments.id'], name=op.f('fk_amendment_supports_amendment_id_amendments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_amendment_supports_network_id_networks')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_amendment_supports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment_supports')),
    sa.UniqueConstraint('amendment_id', 'network_id', name=op.f('uq_amendment_supports_amendment_id'))
    )
    with op.batch_alter_table('amendment_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_supports_network_id'), ['network_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amendment_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_comments_amendment_id'), ['amendment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_amendment_id_amendments'), 'amendments', ['amendment_id'], ['id'], ondelete='CASCADE')




def downgrade():

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_amendment_id_amendments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_comments_amendment_id'))
        batch_op.drop_column('amendment_id')

    with op.batch_alter_table('amendment_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_supports_network_id'))

    op.drop_table('amendment_supports')
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendments_section_id'))
        batch_op.drop_index(batch_op.f('ix_amendments_network_id'))

    op.drop_table('amendments')

