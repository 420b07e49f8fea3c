"""licence subject and status change (吊销/注销 with reason)

Revision ID: 5c1e7a9d2b40
Revises: 2893d3e96774
Create Date: 2026-11-30 22:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e7a9d2b40"
down_revision: str | None = "2893d3e96774"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("subject_name", "subject_id", "status_reason", "status_changed_at", "status_changed_by")


def upgrade() -> None:
    with op.batch_alter_table("material_licences") as batch:
        batch.add_column(sa.Column("subject_name", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("subject_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("status_reason", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("status_changed_by", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("material_licences") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
