"""consultation and comments

Revision ID: 7dcca1ed4c6b
Revises: b8a9c0659810
Create Date: 2026-12-01 08:30:23.985956

"""
import sqlalchemy as sa
from alembic import op

import advocacy.models.base

# revision identifiers, used by Alembic.
revision = '7dcca1ed4c6b'
down_revision = 'b8a9c0659810'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.String(length=16), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('edited_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.Column('deleted_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.Column('hidden_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_comments_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_comments_network_id_networks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_comments_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_comments_revision_id_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_comments_position_parent', ['position_id', 'parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_section_id'), ['section_id'], unique=False)

    op.create_table('comment_edits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_edits_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_edits'))
    )
    with op.batch_alter_table('comment_edits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_edits_comment_id'), ['comment_id'], unique=False)

    op.create_table('comment_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('spam', 'offensive', 'off_topic', 'other', name='report_reason', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', advocacy.models.base.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', advocacy.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_reports_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_comment_reports_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_reports')),
    sa.UniqueConstraint('comment_id', 'reporter_id', name=op.f('uq_comment_reports_comment_id'))
    )
    with op.batch_alter_table('comment_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_reports_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_reports_resolved_at'), ['resolved_at'], unique=False)

    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_opened_at', advocacy.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('consultation_closes_at', advocacy.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('consultation_message', sa.Text(), nullable=False, server_default=''))



def downgrade():
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_column('consultation_message')
        batch_op.drop_column('consultation_closes_at')
        batch_op.drop_column('consultation_opened_at')

    with op.batch_alter_table('comment_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_reports_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_comment_reports_comment_id'))

    op.drop_table('comment_reports')
    with op.batch_alter_table('comment_edits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_edits_comment_id'))

    op.drop_table('comment_edits')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_section_id'))
        batch_op.drop_index('ix_comments_position_parent')
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))

    op.drop_table('comments')
