"""outbox and processed events

Revision ID: 11ac66a49e30
Revises:
Create Date: 2026-11-28 10:32:46.427939
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import create_kit_tables, drop_kit_tables

revision: str = "11ac66a49e30"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kit_tables()


def downgrade() -> None:
    drop_kit_tables()
