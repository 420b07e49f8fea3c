"""outbox rows store their transaction id, published below the horizon (issue 19: order and gaps)

Revision ID: e199b02576d9
Revises: 9d4a7e1c3b52
Create Date: 2026-12-01 03:45:00
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import add_outbox_xact_id, drop_outbox_xact_id

revision: str = "e199b02576d9"
down_revision: str | None = "9d4a7e1c3b52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_xact_id()


def downgrade() -> None:
    drop_outbox_xact_id()
