"""outbox rows store their transaction id, published below the horizon (issue 19: order and gaps)

Revision ID: c3e2f5a4b903
Revises: b2d1e4f3a902
Create Date: 2026-12-01 04:40:00
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import add_outbox_xact_id, drop_outbox_xact_id

revision: str = "c3e2f5a4b903"
down_revision: str | None = "b2d1e4f3a902"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_xact_id()


def downgrade() -> None:
    drop_outbox_xact_id()
