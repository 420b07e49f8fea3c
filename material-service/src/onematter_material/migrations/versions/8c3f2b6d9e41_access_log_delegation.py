"""access log: the delegation a reader acted under (帮办代办)

Revision ID: 8c3f2b6d9e41
Revises: 5c1e7a9d2b40
Create Date: 2026-11-30 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c3f2b6d9e41"
down_revision: str | None = "5c1e7a9d2b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("material_access_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delegation_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("material_access_log", schema=None) as batch_op:
        batch_op.drop_column("delegation_id")
