"""Reading rows in an order that late commits cannot break: the writing transaction's id and the horizon.

The problem (issue 19): PostgreSQL assigns a ``bigint`` id at INSERT but the row becomes visible at COMMIT,
so a reader that has passed id 42 never sees id 41 when its transaction commits late.

The mechanism chosen: every such row stores the id of the transaction that wrote it
(``pg_current_xact_id()``, xid8, as ``bigint``), and readers only take rows whose transaction id is below
their snapshot's horizon ``pg_snapshot_xmin(pg_current_snapshot())`` — the oldest transaction still
running. Below the horizon every transaction has ended, so those rows are final; every row that is not yet
visible (its transaction still runs, or has not started) has a transaction id at or above the horizon.
A reader that walks rows in ``(xact_id, id)`` order and keeps its position as that pair therefore never
skips one: whatever becomes readable later sorts after everything it has already read.

Why not sequencing at publish time: the SSE stream has no single sequencer to number rows, and a second
sequence would need a second writer in the path of every commit. The horizon costs one column and a
condition, and works the same for the relay and the stream. Its price: a transaction left open anywhere in
the PostgreSQL cluster (transaction ids are cluster-wide) holds back every reader until it ends — keep
``idle_in_transaction_session_timeout`` set in production.

Order within a key: one transaction's rows in id order, transactions in the order of their ids (assigned at
their first write). Handlers lock or update the aggregate's row before emitting, so two transactions
writing one application's events get their ids in the order they take that row — their commit order.

SQLite (``make run``) allows one writer at a time: ids are assigned in commit order, the column stays NULL
and a plain id read is correct, so none of this applies there (readers check
:func:`onematter_kit.database.is_postgres`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, ColumnElement, cast, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Text

__all__ = ["CurrentXactId", "below_horizon", "horizon", "xact_id_column"]


class CurrentXactId(FunctionElement[int]):
    """The writing transaction's id as ``bigint`` (a server default); NULL on SQLite."""

    type = BigInteger()
    name = "current_xact_id"
    inherit_cache = True


@compiles(CurrentXactId)
def _current_xact_id_default(_element: CurrentXactId, _compiler: Any, **_kw: Any) -> str:
    return "NULL"


@compiles(CurrentXactId, "postgresql")
def _current_xact_id_postgres(_element: CurrentXactId, _compiler: Any, **_kw: Any) -> str:
    # xid8 has no cast to bigint; through text it is exact (epoch-extended ids stay far below 2**63).
    return "(pg_current_xact_id()::text)::bigint"


def xact_id_column() -> Column[int]:
    """The ``xact_id`` column: set by PostgreSQL on insert (never by the application), NULL on SQLite."""
    return Column("xact_id", BigInteger(), nullable=True, server_default=CurrentXactId())


def horizon() -> ColumnElement[int]:
    """The oldest transaction id still running, as seen by the current statement's snapshot."""
    return cast(cast(func.pg_snapshot_xmin(func.pg_current_snapshot()), Text), BigInteger)


def below_horizon(xact_id: Any) -> ColumnElement[bool]:
    """``xact_id < horizon``: the row's transaction has ended, and so has every one that sorts before it."""
    condition: ColumnElement[bool] = xact_id < horizon()
    return condition
