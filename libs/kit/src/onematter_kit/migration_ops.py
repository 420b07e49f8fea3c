"""Alembic operations for the tables every service has (the outbox and the processed-event record).

The kit owns these tables, so it owns their DDL too: each service's first migration calls
:func:`create_kit_tables` instead of repeating it. Frozen as of that first revision — a later change to
these tables needs a new operation here and a new migration in every service.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = [
    "add_outbox_xact_id",
    "add_xact_id",
    "create_kit_tables",
    "drop_kit_tables",
    "drop_outbox_xact_id",
    "drop_xact_id",
]


def create_kit_tables() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=128), nullable=False),
        sa.Column("topic", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_unpublished", ["published_at", "id"], unique=False)
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(length=128), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=128), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )


def drop_kit_tables() -> None:
    op.drop_table("processed_events")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unpublished")
    op.drop_table("outbox_messages")


def add_xact_id(table: str, *, index: str, columns: list[str]) -> None:
    """Add ``xact_id`` (the writing transaction's id, see :mod:`onematter_kit.commit_order`) to ``table``
    and index ``columns`` as ``index``.

    On PostgreSQL the column defaults to ``pg_current_xact_id()`` and existing rows get 0: they were
    committed before the migration, which holds the table's lock, so they sort before anything new.
    On SQLite the column stays NULL (one writer at a time; readers use the plain id).
    """
    bind = op.get_bind()
    op.add_column(table, sa.Column("xact_id", sa.BigInteger(), nullable=True))
    if bind.dialect.name == "postgresql":
        op.execute(sa.table(table, sa.column("xact_id")).update().values(xact_id=0))
        op.alter_column(table, "xact_id", server_default=sa.text("(pg_current_xact_id()::text)::bigint"))
    op.create_index(index, table, columns, unique=False)


def drop_xact_id(table: str, *, index: str) -> None:
    op.drop_index(index, table_name=table)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_column("xact_id")


def add_outbox_xact_id() -> None:
    """The outbox's ``xact_id`` and its publishing order index (replaces ``ix_outbox_unpublished``)."""
    add_xact_id("outbox_messages", index="ix_outbox_pending", columns=["published_at", "xact_id", "id"])
    op.drop_index("ix_outbox_unpublished", table_name="outbox_messages")


def drop_outbox_xact_id() -> None:
    op.create_index("ix_outbox_unpublished", "outbox_messages", ["published_at", "id"], unique=False)
    drop_xact_id("outbox_messages", index="ix_outbox_pending")
