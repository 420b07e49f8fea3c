"""Reading rows in an order that late commits cannot break: the writing transaction's id and the horizon.

The problem (issue 19): PostgreSQL assigns a ``bigint`` id at INSERT but the row becomes visible at COMMIT,
so a reader that has passed id 42 never sees id 41 when its transaction commits late.

The mechanism chosen: every such row stores the id of the transaction that wrote it
(``pg_current_xact_id()``, xid8, as ``bigint``), and readers only take rows whose transaction id is below
the horizon of their statement's snapshot (``pg_current_snapshot()``): the oldest transaction that was
still running when the snapshot was taken, or the next id to be assigned if none was. Below the horizon
every transaction has ended, so those rows are final; every row that is not yet visible (its transaction
still runs, or has not started) has a transaction id at or above the horizon. A reader that walks rows
in ``(xact_id, id)`` order and keeps its position as that pair therefore never skips one: whatever becomes
readable later sorts after everything it has already read.

Transaction ids are cluster-wide, and one PostgreSQL usually holds every service's database (and, in
tests, everyone's). So the horizon leaves out running transactions that ``pg_stat_activity`` shows
connected to another database: they cannot write here. A transaction it cannot place (it ended meanwhile,
is prepared, or belongs to a role whose sessions we may not see) still counts. Only a placement elsewhere
excludes one, and that never goes stale, so the view need not be read atomically with the snapshot.

Why not sequencing at publish time: the SSE stream has no single sequencer to number rows, and a second
sequence would need a second writer in the path of every commit. The horizon costs one column and a
condition, and works the same for the relay and the stream. Its price: a transaction left open anywhere in
the same database holds back its readers until it ends — keep ``idle_in_transaction_session_timeout`` set
in production. A reader that finds committed rows held back (:func:`held_back`) reads again shortly.

Order within a key: one transaction's rows in id order, transactions in the order of their ids (assigned at
their first write). Two transactions whose first write is to the same row (the application both change,
locked or updated before they emit) get their ids in the order they take that row, which is their commit
order. Transactions that emit for one key without touching a common row have no order between them.

SQLite (``make run``) allows one writer at a time: ids are assigned in commit order, the column stays NULL
and a plain id read is correct, so none of this applies there (readers check
:func:`onematter_kit.database.is_postgres`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, ColumnElement, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

__all__ = ["CurrentXactId", "below_horizon", "held_back", "horizon", "xact_id_column"]


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


#: One scalar per statement (an InitPlan): the snapshot's oldest running transaction of this database,
#: else its xmax. ``pg_current_snapshot()`` is the statement's own snapshot, the one rows are seen through.
_HORIZON = """(SELECT LEAST(
    (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint,
    (SELECT min((running::text)::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS running
      WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity AS elsewhere
        WHERE elsewhere.backend_xid = xid(running) AND elsewhere.datname <> current_database()))))"""


def horizon() -> ColumnElement[int]:
    """The horizon (see the module docstring) as seen by the current statement's snapshot."""
    return literal_column(_HORIZON, BigInteger())


def below_horizon(xact_id: Any) -> ColumnElement[bool]:
    """``xact_id < horizon``: the row's transaction has ended, and so has every one that sorts before it."""
    condition: ColumnElement[bool] = xact_id < horizon()
    return condition


def held_back(xact_id: Any) -> ColumnElement[bool]:
    """``xact_id >= horizon``: the row is committed but a transaction before it still runs."""
    condition: ColumnElement[bool] = xact_id >= horizon()
    return condition
