"""outbox and processed events

Revision ID: d7ff68a22b79
Revises:
Create Date: 2026-11-28 10:32:44.138427
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import create_kit_tables, drop_kit_tables

revision: str = "d7ff68a22b79"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kit_tables()


def downgrade() -> None:
    drop_kit_tables()
