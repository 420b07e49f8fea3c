"""The kit's tables (outbox, processed events), as every service's first migration creates them.

Revision ID: 0001_kit_tables
Revises:
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import create_kit_tables, drop_kit_tables

revision: str = "0001_kit_tables"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kit_tables()


def downgrade() -> None:
    drop_kit_tables()
