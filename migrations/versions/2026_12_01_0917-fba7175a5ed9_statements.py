"""statements

Revision ID: fba7175a5ed9
Revises: 224cd879a793
Create Date: 2026-12-01 09:17:50.084794

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = 'fba7175a5ed9'
down_revision = '224cd879a793'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('lead_network_id', sa.Integer(), nullable=False),
    sa.Column('published_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lead_network_id'], ['networks.id'], name=op.f('fk_statements_lead_network_id_networks')),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_statements_position_id_positions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements')),
    sa.UniqueConstraint('position_id', name=op.f('uq_statements_position_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_statements_slug'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statements_lead_network_id'), ['lead_network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_published_at'), ['published_at'], unique=False)

    op.create_table('signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_signatures_network_id_networks')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_signatures_signed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_signatures_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatures')),
    sa.UniqueConstraint('statement_id', 'network_id', name=op.f('uq_signatures_statement_id'))
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatures_network_id'), ['network_id'], unique=False)

    op.create_table('statement_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('networks', sa.JSON(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('arenas', sa.JSON(), nullable=False),
    sa.Column('decisions', sa.JSON(), nullable=False),
    sa.Column('building', sa.JSON(), nullable=False),
    sa.Column('published_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_statement_versions_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_statement_versions_revision_id_revisions')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_versions_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_versions')),
    sa.UniqueConstraint('statement_id', 'number', name=op.f('uq_statement_versions_statement_id'))
    )

    # statements and their versions refer to each other: this key comes once both exist.
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_statements_current_version', 'statement_versions',
                                    ['current_version_id'], ['id'])


def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_constraint('fk_statements_current_version', type_='foreignkey')

    op.drop_table('statement_versions')
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatures_network_id'))

    op.drop_table('signatures')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_published_at'))
        batch_op.drop_index(batch_op.f('ix_statements_lead_network_id'))

    op.drop_table('statements')

