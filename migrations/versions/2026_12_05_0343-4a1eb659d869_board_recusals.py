"""Conflicts of interest: a board member steps aside from a round of review.

Revision ID: 4a1eb659d869
Revises: 8bdcd30efd8c
Create Date: 2026-12-05 03:43:12.056149

"""

import sqlalchemy as sa
from alembic import op

import advocacy.models.base

revision = "4a1eb659d869"
down_revision = "8bdcd30efd8c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "board_recusals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", advocacy.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["users.id"],
            name=op.f("fk_board_recusals_member_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_board_recusals_position_id_positions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_recusals")),
        sa.UniqueConstraint(
            "position_id",
            "round",
            "member_id",
            name=op.f("uq_board_recusals_position_id"),
        ),
    )


def downgrade():
    op.drop_table("board_recusals")
