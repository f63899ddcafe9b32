"""Calendar feeds: the version in a member's signed feed address (revocable).

Revision ID: 028882a543a8
Revises: 4a1eb659d869
Create Date: 2026-12-05 03:47:52.142679

"""

import sqlalchemy as sa
from alembic import op

revision = "028882a543a8"
down_revision = "4a1eb659d869"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "calendar_version", sa.Integer(), server_default="0", nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("calendar_version")
