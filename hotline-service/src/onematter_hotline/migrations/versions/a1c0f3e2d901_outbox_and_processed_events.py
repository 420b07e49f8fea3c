"""outbox and processed events

Revision ID: a1c0f3e2d901
Revises:
Create Date: 2026-12-01 03:50:00.000000
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import create_kit_tables, drop_kit_tables

revision: str = "a1c0f3e2d901"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kit_tables()


def downgrade() -> None:
    drop_kit_tables()
