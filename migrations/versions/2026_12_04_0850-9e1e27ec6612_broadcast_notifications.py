"""Broadcast notifications: news to every member stored once, read markers per person.

Revision ID: 9e1e27ec6612
Revises: ed21b5a550d0
Create Date: 2026-12-04 08:50:24.421637

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9e1e27ec6612'
down_revision = 'ed21b5a550d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_reads',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_notification_reads_notification_id_notifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_reads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'notification_id', name=op.f('pk_notification_reads'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index('ix_notifications_audience', ['audience', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notifications_actor_id_users'), 'users', ['actor_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('broadcasts_read_through', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('broadcasts_mailed_through', sa.Integer(), nullable=False, server_default='0'))



def downgrade():
    # A broadcast has no person: it cannot outlive the column that names one.
    op.execute("DELETE FROM outbox WHERE user_id IS NULL AND digest IS NULL")
    op.execute("DELETE FROM notifications WHERE user_id IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('broadcasts_mailed_through')
        batch_op.drop_column('broadcasts_read_through')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_actor_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_notifications_audience')
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('actor_id')
        batch_op.drop_column('audience')

    op.drop_table('notification_reads')
