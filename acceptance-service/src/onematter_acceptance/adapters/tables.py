"""The acceptance service's tables (all prefixed ``acceptance_``). Alembic reads ``metadata``.

Rows only: the domain's objects are mapped onto them by ``adapters.mapping``. JSON columns hold what is
read whole and never queried into (forms, pauses, payloads); what is filtered on (status, department,
deadline, flags) has its own indexed column. Instants are :class:`UtcDateTime` (stored in UTC, read back
aware on SQLite too; the same DDL as ``DateTime(timezone=True)``, so no migration); dates are dates in China.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from onematter_kit.tables import OutboxMessage, ProcessedEvent, UtcDateTime
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

__all__ = [
    "ApplicationRow",
    "IdempotencyKey",
    "MatterCopy",
    "NumberCounter",
    "OutboxMessage",
    "ProcessedEvent",
    "RectificationRow",
    "ReviewRow",
    "TaskRow",
    "TimelineRow",
    "metadata",
]

metadata = SQLModel.metadata


def _ts(nullable: bool = False) -> Any:
    return Column(UtcDateTime(), nullable=nullable)


class MatterCopy(SQLModel, table=True):
    """The local copy of every published version (an application pins one; old ones stay readable)."""

    __tablename__ = "acceptance_matters"

    matter_code: str = Field(sa_column=Column(String(64), primary_key=True))
    version: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    retired: bool = False
    received_at: datetime = Field(sa_column=_ts())


class ApplicationRow(SQLModel, table=True):
    __tablename__ = "acceptance_applications"
    #: the supervisor statistics filter on the submission date
    __table_args__ = (Index("ix_acceptance_applications_accepted_at", "accepted_at"),)

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    acceptance_number: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    matter_code: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    matter_version: int
    lead_department: str = Field(sa_column=Column(String(32), nullable=False))
    applicant_id: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    submitted_by: str = Field(sa_column=Column(String(128), nullable=False))
    channel: str = Field(sa_column=Column(String(16), nullable=False))
    status: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    form: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    materials: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    deferred_materials: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    supplement_due: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    #: The open merged 补正 request: material_type → {reasons, departments, task_ids}.
    open_supplement: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    accepted_at: datetime = Field(sa_column=_ts())
    deadline: date = Field(sa_column=Column(Date, nullable=False))
    deadline_provisional: bool = False
    completed_at: datetime | None = Field(default=None, sa_column=_ts(True))
    rejections: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: Set at 办结 (None before, and for a withdrawn application): finished by its deadline?
    on_time: bool | None = Field(default=None, sa_column=Column(Boolean, nullable=True))
    #: Set at 办结: working days from acceptance to completion on the legal calendar.
    handling_working_days: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    #: Set at acceptance: materials not handed in thanks to a licence held or an earlier material (少交材料).
    materials_avoided: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))


class TaskRow(SQLModel, table=True):
    __tablename__ = "acceptance_tasks"
    __table_args__ = (
        Index("ix_acceptance_tasks_clock", "status", "deadline"),
        Index("ix_acceptance_tasks_started_on", "started_on"),
    )

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    application_id: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    item_code: str = Field(sa_column=Column(String(64), nullable=False))
    item_name_zh: str = Field(sa_column=Column(String(128), nullable=False))
    department: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    status: str = Field(sa_column=Column(String(32), nullable=False))
    committed_days: int
    started_on: date = Field(sa_column=Column(Date, nullable=False))
    deadline: date = Field(sa_column=Column(Date, nullable=False))
    deadline_provisional: bool = False
    pauses: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    requested_materials: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    form: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    materials: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    verify_after_commitment: bool = False
    issues_licence: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    licence_type: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    licence_number: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    officer_id: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    completed_at: datetime | None = Field(default=None, sa_column=_ts(True))
    warned: bool = False
    overdue: bool = False
    #: Set when the task ends (approved or rejected), like the application's columns of the same names.
    on_time: bool | None = Field(default=None, sa_column=Column(Boolean, nullable=True))
    handling_working_days: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    #: Set at acceptance: this item's materials satisfied by a licence held or an earlier material.
    materials_avoided: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    #: The item's 补正 / 容缺 terms copied at acceptance (``{}``: the defaults, for older rows).
    terms: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    #: The due-date round finds its tasks by these two dates (indexed); the flags make each reminder once.
    supplement_due_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True, index=True))
    supplement_reminded: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default="0")
    )
    deferral_dues: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    deferral_due: date | None = Field(default=None, sa_column=Column(Date, nullable=True, index=True))
    deferral_reminded: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default="0")
    )


class TimelineRow(SQLModel, table=True):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "acceptance_timeline"

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    application_id: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    at: datetime = Field(sa_column=_ts())
    actor: str = Field(sa_column=Column(String(128), nullable=False))
    kind: str = Field(sa_column=Column(String(64), nullable=False))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class IdempotencyKey(SQLModel, table=True):
    """The primary key makes two concurrent identical submissions create one application."""

    __tablename__ = "acceptance_idempotency_keys"

    caller: str = Field(sa_column=Column(String(128), primary_key=True))
    key: str = Field(sa_column=Column(String(128), primary_key=True))
    body_hash: str = Field(sa_column=Column(String(64), nullable=False))
    application_id: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(sa_column=_ts())


class NumberCounter(SQLModel, table=True):
    """One row per day; incremented inside the submitting transaction (upsert … RETURNING)."""

    __tablename__ = "acceptance_number_counters"

    day: str = Field(sa_column=Column(String(8), primary_key=True))
    last: int = Field(sa_column=Column(Integer, nullable=False))


class ReviewRow(SQLModel, table=True):
    __tablename__ = "acceptance_reviews"

    application_id: str = Field(sa_column=Column(String(64), primary_key=True))
    applicant_id: str = Field(sa_column=Column(String(128), nullable=False))
    level: int
    label: str = Field(sa_column=Column(String(16), nullable=False))
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    bad: bool
    submitted_at: datetime = Field(sa_column=_ts())


class RectificationRow(SQLModel, table=True):
    __tablename__ = "acceptance_rectifications"
    __table_args__ = (UniqueConstraint("application_id", name="uq_acceptance_rectification_application"),)

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    application_id: str = Field(sa_column=Column(String(64), nullable=False))
    acceptance_number: str = Field(sa_column=Column(String(32), nullable=False))
    department: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    level: int
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    due: date = Field(sa_column=Column(Date, nullable=False))
    status: str = Field(default="open", sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(sa_column=_ts())
    closed_at: datetime | None = Field(default=None, sa_column=_ts(True))
    closed_by: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    close_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
