"""The official holiday notices the operator loaded (国务院办公厅节假日安排通知), one row per version.

Kept apart from ``adapters.tables`` like the delegations table; it shares the same ``metadata`` (Alembic's
env imports this module too). Rows are inserted, never updated or deleted: the history of every version
stays, and the highest version per year is in force. ``(year, version)`` is unique, so two replicas loading
the same notice store it once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from onematter_kit.tables import UtcDateTime
from sqlalchemy import JSON, BigInteger, Column, Date, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["NoticeRow"]


class NoticeRow(SQLModel, table=True):
    __tablename__ = "acceptance_calendar_notices"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_acceptance_calendar_notice_version"),)

    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    year: int = Field(sa_column=Column(Integer, nullable=False))
    version: int = Field(sa_column=Column(Integer, nullable=False))
    document_number: str = Field(sa_column=Column(String(60), nullable=False))
    issued_on: date = Field(sa_column=Column(Date, nullable=False))
    #: The whole notice as loaded (``HolidayNotice`` in JSON), validated again when read.
    notice: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    loaded_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    #: ``admin:<user id>`` for the API, ``file`` for the operator's notices file.
    loaded_by: str = Field(sa_column=Column(String(160), nullable=False))
    #: Applications whose due date the load moved (announced to their applicants).
    deadlines_moved: int = Field(default=0, sa_column=Column(Integer, nullable=False))
