"""licences: a claimed sequence row per number stem, and numbers unique per licence type

Revision ID: 9d4a7e1c3b52
Revises: 8c3f2b6d9e41
Create Date: 2026-12-01 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d4a7e1c3b52"
down_revision: str | None = "8c3f2b6d9e41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "material_licence_sequences",
        sa.Column("stem", sa.String(length=160), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("stem"),
    )
    with op.batch_alter_table("material_licences", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_material_licences_type_number", ["licence_type", "number"])


def downgrade() -> None:
    with op.batch_alter_table("material_licences", schema=None) as batch_op:
        batch_op.drop_constraint("uq_material_licences_type_number", type_="unique")
    op.drop_table("material_licence_sequences")
