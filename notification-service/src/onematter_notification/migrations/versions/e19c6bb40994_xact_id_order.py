"""outbox (and inbox) rows store their transaction id, read below the horizon (issue 19: order and gaps)

Revision ID: e19c6bb40994
Revises: 17ddf1cf6cb2
Create Date: 2026-12-01 03:45:00
"""

from collections.abc import Sequence

from onematter_kit.migration_ops import add_outbox_xact_id, add_xact_id, drop_outbox_xact_id, drop_xact_id

revision: str = "e19c6bb40994"
down_revision: str | None = "17ddf1cf6cb2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_xact_id()
    add_xact_id(
        "notification_messages",
        index="ix_notification_messages_recipient_order",
        columns=["recipient", "xact_id", "seq"],
    )


def downgrade() -> None:
    drop_xact_id("notification_messages", index="ix_notification_messages_recipient_order")
    drop_outbox_xact_id()
