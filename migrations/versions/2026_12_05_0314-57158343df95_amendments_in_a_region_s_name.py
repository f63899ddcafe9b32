"""Federation: an amendment filed in a region's name keeps the region's name,
and may come from an amendment the region adopted.

Revision ID: 57158343df95
Revises: 5ad2a3778a80
Create Date: 2026-12-05 03:14:58.401107

"""

import sqlalchemy as sa
from alembic import op

revision = "57158343df95"
down_revision = "5ad2a3778a80"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "on_behalf_of", sa.String(length=200), server_default="", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("regional_amendment_id", sa.Integer(), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_amendments_regional_amendment_id_regional_amendments"),
            "regional_amendments",
            ["regional_amendment_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # those filed from a contribution already: the region that sent it
    op.execute(
        "UPDATE amendments SET on_behalf_of = ("
        " SELECT peers.name FROM contributions"
        " JOIN peers ON peers.id = contributions.peer_id"
        " WHERE contributions.id = amendments.contribution_id)"
        " WHERE contribution_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_amendments_regional_amendment_id_regional_amendments"),
            type_="foreignkey",
        )
        batch_op.drop_column("regional_amendment_id")
        batch_op.drop_column("on_behalf_of")
