"""Federation: what a region adopted on a national position it declined (its
amendments and its board's decision), kept by the national installation; the
last sending up, on the region's side.

Revision ID: 5ad2a3778a80
Revises: a64bd3093896
Create Date: 2026-12-05 03:06:54.617448

"""

import sqlalchemy as sa
from alembic import op

import advocacy.models.base

revision = "5ad2a3778a80"
down_revision = "a64bd3093896"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "regional_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("board", sa.JSON(), nullable=False),
        sa.Column("received_at", advocacy.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_id"],
            ["peers.id"],
            name=op.f("fk_regional_submissions_peer_id_peers"),
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_regional_submissions_position_id_positions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regional_submissions")),
        sa.UniqueConstraint(
            "position_id", "peer_id", name=op.f("uq_regional_submissions_position_id")
        ),
    )
    with op.batch_alter_table("regional_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_regional_submissions_peer_id"), ["peer_id"], unique=False
        )

    op.create_table(
        "regional_amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(length=500), nullable=False),
        sa.Column("section_id", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("proposed", sa.Text(), nullable=False),
        sa.Column("proposed_html", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("rationale_html", sa.Text(), nullable=False),
        sa.Column("network", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("vote", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["regional_submissions.id"],
            name=op.f("fk_regional_amendments_submission_id_regional_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regional_amendments")),
    )
    with op.batch_alter_table("regional_amendments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_regional_amendments_submission_id"),
            ["submission_id"],
            unique=False,
        )

    with op.batch_alter_table("orientations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_message_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_orientations_sent_message_id_federation_messages"),
            "federation_messages",
            ["sent_message_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("orientations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_orientations_sent_message_id_federation_messages"),
            type_="foreignkey",
        )
        batch_op.drop_column("sent_message_id")

    with op.batch_alter_table("regional_amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regional_amendments_submission_id"))

    op.drop_table("regional_amendments")
    with op.batch_alter_table("regional_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regional_submissions_peer_id"))

    op.drop_table("regional_submissions")
