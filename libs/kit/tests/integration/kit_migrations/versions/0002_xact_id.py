"""The outbox's writing transaction id, as every service's issue-19 migration adds it.

Revision ID: 0002_xact_id
Revises: 0001_kit_tables
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import add_outbox_xact_id, drop_outbox_xact_id

revision: str = "0002_xact_id"
down_revision: str | None = "0001_kit_tables"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_xact_id()


def downgrade() -> None:
    drop_outbox_xact_id()
