"""outbox rows store their transaction id, published below the horizon (issue 19: order and gaps)

Revision ID: e1979297df4f
Revises: 634e7e4e9f16
Create Date: 2026-12-01 03:45:00
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import add_outbox_xact_id, drop_outbox_xact_id

revision: str = "e1979297df4f"
down_revision: str | None = "634e7e4e9f16"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_xact_id()


def downgrade() -> None:
    drop_outbox_xact_id()
