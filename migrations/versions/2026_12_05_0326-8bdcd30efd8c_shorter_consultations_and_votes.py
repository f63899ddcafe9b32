"""Why staff opened a consultation or a vote shorter than the minimum
(shown to the members).

Revision ID: 8bdcd30efd8c
Revises: 57158343df95
Create Date: 2026-12-05 03:26:43.056782

"""

import sqlalchemy as sa
from alembic import op

revision = "8bdcd30efd8c"
down_revision = "57158343df95"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "consultation_short_reason",
                sa.Text(),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("vote_short_reason", sa.Text(), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_column("vote_short_reason")
        batch_op.drop_column("consultation_short_reason")
