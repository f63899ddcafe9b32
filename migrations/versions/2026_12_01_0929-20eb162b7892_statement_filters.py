"""statement filters

Revision ID: 20eb162b7892
Revises: 98c17b795806
Create Date: 2026-12-01 09:29:41.585589

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '20eb162b7892'
down_revision = '98c17b795806'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('statement_arenas',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('arena', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_arenas_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', 'arena', name=op.f('pk_statement_arenas'))
    )
    with op.batch_alter_table('statement_arenas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_arenas_arena'), ['arena'], unique=False)

    op.create_table('statement_networks',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_statement_networks_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_networks_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', 'network_id', name=op.f('pk_statement_networks'))
    )
    with op.batch_alter_table('statement_networks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_networks_network_id'), ['network_id'], unique=False)

    op.create_table('statement_themes',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_themes_statement_id_statements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_statement_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', 'theme_id', name=op.f('pk_statement_themes'))
    )
    with op.batch_alter_table('statement_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_themes_theme_id'), ['theme_id'], unique=False)




def downgrade():

    with op.batch_alter_table('statement_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_themes_theme_id'))

    op.drop_table('statement_themes')
    with op.batch_alter_table('statement_networks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_networks_network_id'))

    op.drop_table('statement_networks')
    with op.batch_alter_table('statement_arenas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_arenas_arena'))

    op.drop_table('statement_arenas')

