"""notifications and outbox

Revision ID: 753194e6ac09
Revises: 44648574a361
Create Date: 2026-12-01 11:27:59.096665

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = '753194e6ac09'
down_revision = '44648574a361'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('drafting', 'consultation', 'votes', 'board', 'publications', name='preference_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('delivery', sa.Enum('immediate', 'digest', 'never', name='delivery', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'category', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('drafting', 'consultation', 'votes', 'board', 'publications', name='notification_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('once_key', sa.String(length=120), nullable=True),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('read_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.Column('mailed_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['audit_events.id'], name=op.f('fk_notifications_event_id_audit_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'once_key', name=op.f('uq_notifications_user_id'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('digest', sa.JSON(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='outbox_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('sent_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_outbox_notification_id_notifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_unread')
        batch_op.drop_index('ix_notifications_user_created')

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
