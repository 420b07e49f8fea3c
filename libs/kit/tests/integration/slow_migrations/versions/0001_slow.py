"""A slow migration: long enough that replicas started together are inside it at the same time.

Revision ID: 0001_slow
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_slow"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SELECT pg_sleep(3)")
    op.create_table("slow_things", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("slow_things")
