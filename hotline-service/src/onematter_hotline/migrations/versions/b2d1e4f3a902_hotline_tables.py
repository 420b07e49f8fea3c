"""hotline tables

Revision ID: b2d1e4f3a902
Revises: a1c0f3e2d901
Create Date: 2026-12-01 03:51:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from onematter_kit.tables import UtcDateTime

revision: str = "b2d1e4f3a902"
down_revision: str | None = "a1c0f3e2d901"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hotline_requests",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("office", sa.String(length=32), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_hotline_requests_open", "hotline_requests", ["category", "region", "status"])
    op.create_index("ix_hotline_requests_due", "hotline_requests", ["status", "due_on"])
    op.create_index("ix_hotline_requests_office", "hotline_requests", ["office", "status"])
    op.create_table(
        "hotline_knowledge",
        sa.Column("id", sa.String(length=80), primary_key=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "hotline_dispatch_rules",
        sa.Column("category", sa.String(length=32), primary_key=True),
        sa.Column("region", sa.String(length=6), primary_key=True),
        sa.Column("office", sa.String(length=32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hotline_dispatch_rules")
    op.drop_table("hotline_knowledge")
    op.drop_table("hotline_requests")
