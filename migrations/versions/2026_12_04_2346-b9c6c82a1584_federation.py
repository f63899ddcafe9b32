"""Federation: the installation's key pair, the installations it is linked to,
the messages exchanged with them (posted through the outbox), and the
contributions received from the regions, every version kept.

Revision ID: b9c6c82a1584
Revises: c8b07fae6a4e
Create Date: 2026-12-04 23:46:11.643907

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

revision = 'b9c6c82a1584'
down_revision = 'c8b07fae6a4e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('installation_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('public_pem', sa.Text(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation_keys'))
    )
    op.create_table('peers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_url', sa.String(length=500), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('inbox_url', sa.String(length=500), nullable=False),
    sa.Column('key_id', sa.String(length=500), nullable=False),
    sa.Column('public_pem', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Enum('contributes_to', 'receives_contributions', 'receives_orientations', 'sends_orientations', name='link_purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('state', sa.Enum('requested', 'pending', 'active', 'refused', 'suspended', 'ended', name='link_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('asked_by_us', sa.Boolean(), nullable=False),
    sa.Column('follow_id', sa.String(length=500), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peers')),
    sa.UniqueConstraint('actor_url', name=op.f('uq_peers_actor_url')),
    sa.UniqueConstraint('key_id', name=op.f('uq_peers_key_id'))
    )
    op.create_table('contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('remote_id', sa.String(length=500), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('received_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['peers.id'], name=op.f('fk_contributions_peer_id_peers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributions')),
    sa.UniqueConstraint('remote_id', name=op.f('uq_contributions_remote_id'))
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributions_peer_id'), ['peer_id'], unique=False)

    op.create_table('federation_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('in', 'out', name='message_direction', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.String(length=500), nullable=False),
    sa.Column('activity_type', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'received', 'refused', name='message_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('activity', sa.JSON(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['peers.id'], name=op.f('fk_federation_messages_peer_id_peers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_federation_messages'))
    )
    with op.batch_alter_table('federation_messages', schema=None) as batch_op:
        batch_op.create_index('ix_federation_messages_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_federation_messages_peer_id'), ['peer_id'], unique=False)
        batch_op.create_index('uq_federation_messages_received', ['activity_id'], unique=True, sqlite_where=sa.text("direction = 'in' AND status = 'received'"), postgresql_where=sa.text("direction = 'in' AND status = 'received'"))

    op.create_table('contribution_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('networks', sa.JSON(), nullable=False),
    sa.Column('signatories', sa.JSON(), nullable=False),
    sa.Column('building', sa.JSON(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('published_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('received_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_contribution_versions_contribution_id_contributions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_versions')),
    sa.UniqueConstraint('contribution_id', 'number', name=op.f('uq_contribution_versions_contribution_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('federation_message_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_federation_message_id_federation_messages'), 'federation_messages', ['federation_message_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_federation_message_id_federation_messages'), type_='foreignkey')
        batch_op.drop_column('federation_message_id')

    op.drop_table('contribution_versions')
    with op.batch_alter_table('federation_messages', schema=None) as batch_op:
        batch_op.drop_index('uq_federation_messages_received', sqlite_where=sa.text("direction = 'in' AND status = 'received'"), postgresql_where=sa.text("direction = 'in' AND status = 'received'"))
        batch_op.drop_index(batch_op.f('ix_federation_messages_peer_id'))
        batch_op.drop_index('ix_federation_messages_created_at')

    op.drop_table('federation_messages')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributions_peer_id'))

    op.drop_table('contributions')
    op.drop_table('peers')
    op.drop_table('installation_keys')
