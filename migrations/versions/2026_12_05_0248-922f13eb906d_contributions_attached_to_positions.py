"""Federation: contributions attached to a position in consultation, comments
that quote one of their sections, amendments filed in a region's name.

Revision ID: 922f13eb906d
Revises: b9c6c82a1584
Create Date: 2026-12-05 02:48:13.765184

"""

import sqlalchemy as sa
from alembic import op

import advocacy.models.base

revision = "922f13eb906d"
down_revision = "b9c6c82a1584"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "position_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("attached_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", advocacy.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attached_by_id"],
            ["users.id"],
            name=op.f("fk_position_contributions_attached_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_position_contributions_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_position_contributions_position_id_positions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_position_contributions")),
        sa.UniqueConstraint(
            "position_id",
            "contribution_id",
            name=op.f("uq_position_contributions_position_id"),
        ),
    )
    with op.batch_alter_table("position_contributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_position_contributions_contribution_id"),
            ["contribution_id"],
            unique=False,
        )

    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contribution_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("contribution_section_id", sa.String(length=100), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_amendments_contribution_id_contributions"),
            "contributions",
            ["contribution_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cited_contribution_id", sa.Integer(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("cited_section_id", sa.String(length=100), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_comments_cited_contribution_id_contributions"),
            "contributions",
            ["cited_contribution_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_comments_cited_contribution_id_contributions"),
            type_="foreignkey",
        )
        batch_op.drop_column("cited_section_id")
        batch_op.drop_column("cited_contribution_id")

    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_amendments_contribution_id_contributions"),
            type_="foreignkey",
        )
        batch_op.drop_column("contribution_section_id")
        batch_op.drop_column("contribution_id")

    with op.batch_alter_table("position_contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_contributions_contribution_id"))

    op.drop_table("position_contributions")
