"""Federation: national positions received for the region to decline
(orientations), and the regional position that declines one.

Revision ID: a64bd3093896
Revises: 922f13eb906d
Create Date: 2026-12-05 02:58:14.427118

"""

import sqlalchemy as sa
from alembic import op

import advocacy.models.base

revision = "a64bd3093896"
down_revision = "922f13eb906d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "orientations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("closes_at", advocacy.models.base.UTCDateTime(), nullable=False),
        sa.Column("received_at", advocacy.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", advocacy.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_id"], ["peers.id"], name=op.f("fk_orientations_peer_id_peers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orientations")),
        sa.UniqueConstraint("remote_id", name=op.f("uq_orientations_remote_id")),
    )
    with op.batch_alter_table("orientations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_orientations_peer_id"), ["peer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_orientations_updated_at"), ["updated_at"], unique=False
        )

    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("orientation_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_positions_orientation_id"), ["orientation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_positions_orientation_id_orientations"),
            "orientations",
            ["orientation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_positions_orientation_id_orientations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_positions_orientation_id"))
        batch_op.drop_column("orientation_id")

    with op.batch_alter_table("orientations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orientations_updated_at"))
        batch_op.drop_index(batch_op.f("ix_orientations_peer_id"))

    op.drop_table("orientations")
