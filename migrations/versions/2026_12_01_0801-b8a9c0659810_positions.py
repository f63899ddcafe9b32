"""positions and revisions

Revision ID: b8a9c0659810
Revises: 0d5eb6025529
Create Date: 2026-12-01 08:01:05.981301

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = 'b8a9c0659810'
down_revision = '0d5eb6025529'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('lead_network_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'consultation', 'vote', 'consolidation', 'board_review', 'approved', 'published', 'rejected', 'withdrawn', name='position_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('current_revision_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('withdrawn_reason', sa.Text(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_positions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_network_id'], ['networks.id'], name=op.f('fk_positions_lead_network_id_networks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positions'))
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_lead_network_id'), ['lead_network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_updated_at'), ['updated_at'], unique=False)

    op.create_table('position_arenas',
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('arena', sa.Enum('regional', 'national', 'european', name='arena', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_position_arenas_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('position_id', 'arena', name=op.f('pk_position_arenas'))
    )
    with op.batch_alter_table('position_arenas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_arenas_arena'), ['arena'], unique=False)

    op.create_table('position_coauthors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_position_coauthors_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_position_coauthors_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_position_coauthors_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_coauthors')),
    sa.UniqueConstraint('position_id', 'network_id', name=op.f('uq_position_coauthors_position_id'))
    )
    with op.batch_alter_table('position_coauthors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_coauthors_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_position_coauthors_position_id'), ['position_id'], unique=False)

    op.create_table('position_themes',
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_position_themes_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_position_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('position_id', 'theme_id', name=op.f('pk_position_themes'))
    )
    with op.batch_alter_table('position_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=200), nullable=False),
    sa.Column('base_revision_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.Enum('create', 'edit', 'merge', 'restore', 'amendment', name='revision_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('restored_number', sa.Integer(), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['base_revision_id'], ['revisions.id'], name=op.f('fk_revisions_base_revision_id_revisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_revisions_network_id_networks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_revisions_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions')),
    sa.UniqueConstraint('position_id', 'number', name=op.f('uq_revisions_position_id'))
    )
    # positions and revisions refer to each other: this key comes once both exist.
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_positions_current_revision', 'revisions',
                                    ['current_revision_id'], ['id'])


def downgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_constraint('fk_positions_current_revision', type_='foreignkey')

    op.drop_table('revisions')
    with op.batch_alter_table('position_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_themes_theme_id'))

    op.drop_table('position_themes')
    with op.batch_alter_table('position_coauthors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_coauthors_position_id'))
        batch_op.drop_index(batch_op.f('ix_position_coauthors_network_id'))

    op.drop_table('position_coauthors')
    with op.batch_alter_table('position_arenas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_arenas_arena'))

    op.drop_table('position_arenas')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positions_updated_at'))
        batch_op.drop_index(batch_op.f('ix_positions_state'))
        batch_op.drop_index(batch_op.f('ix_positions_lead_network_id'))

    op.drop_table('positions')
