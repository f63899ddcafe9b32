"""votes

Revision ID: ceabfe88fa77
Revises: 5ba7f6c72442
Create Date: 2026-12-01 08:42:43.554075

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = 'ceabfe88fa77'
down_revision = '5ba7f6c72442'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('eligible_networks',
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_eligible_networks_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_eligible_networks_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('position_id', 'network_id', name=op.f('pk_eligible_networks'))
    )
    with op.batch_alter_table('eligible_networks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligible_networks_network_id'), ['network_id'], unique=False)

    op.create_table('motions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('amendment', 'adopt_text', name='motion_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('quorum', sa.Double(), nullable=False),
    sa.Column('eligible_count', sa.Integer(), nullable=False),
    sa.Column('opened_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('closes_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('closed_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=True),
    sa.Column('votes_abstain', sa.Integer(), nullable=True),
    sa.Column('quorum_reached', sa.Boolean(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendments.id'], name=op.f('fk_motions_amendment_id_amendments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_motions_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_motions')),
    sa.UniqueConstraint('amendment_id', name=op.f('uq_motions_amendment_id'))
    )
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_motions_position_id'), ['position_id'], unique=False)

    op.create_table('ballot_casts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Enum('for', 'against', 'abstain', name='cast_choice', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('cast_by_id', sa.Integer(), nullable=True),
    sa.Column('cast_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cast_by_id'], ['users.id'], name=op.f('fk_ballot_casts_cast_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_ballot_casts_motion_id_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_ballot_casts_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_casts'))
    )
    with op.batch_alter_table('ballot_casts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_casts_motion_id'), ['motion_id'], unique=False)

    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Enum('for', 'against', 'abstain', name='ballot_choice', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('cast_by_id', sa.Integer(), nullable=True),
    sa.Column('cast_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cast_by_id'], ['users.id'], name=op.f('fk_ballots_cast_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_ballots_motion_id_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_ballots_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('motion_id', 'network_id', name=op.f('uq_ballots_motion_id'))
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballots_network_id'), ['network_id'], unique=False)

    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applied_at', advocacy.models.base.UTCDateTime(), nullable=True))

    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vote_opened_at', advocacy.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('vote_closes_at', advocacy.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('vote_closed_at', advocacy.models.base.UTCDateTime(), nullable=True))

    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amendment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_revisions_amendment_id_amendments'), 'amendments', ['amendment_id'], ['id'], ondelete='SET NULL')




def downgrade():

    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_revisions_amendment_id_amendments'), type_='foreignkey')
        batch_op.drop_column('amendment_id')

    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('vote_closed_at')
        batch_op.drop_column('vote_closes_at')
        batch_op.drop_column('vote_opened_at')

    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_column('applied_at')

    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballots_network_id'))

    op.drop_table('ballots')
    with op.batch_alter_table('ballot_casts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_casts_motion_id'))

    op.drop_table('ballot_casts')
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_motions_position_id'))

    op.drop_table('motions')
    with op.batch_alter_table('eligible_networks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligible_networks_network_id'))

    op.drop_table('eligible_networks')

