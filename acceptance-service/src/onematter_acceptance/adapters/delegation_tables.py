"""The delegations table (委托, 帮办代办). Kept apart from ``adapters.tables`` so the aggregate's storage
reads in one place; it shares the same ``metadata`` (Alembic's env imports this module too).

The one-time code and the identity document number are stored only as hashes (the number also masked).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from onematter_kit.tables import UtcDateTime
from sqlalchemy import JSON, Column, Integer, String
from sqlmodel import Field, SQLModel

__all__ = ["DelegationRow"]


def _ts(nullable: bool = False) -> Any:
    return Column(UtcDateTime(), nullable=nullable)


class DelegationRow(SQLModel, table=True):
    __tablename__ = "acceptance_delegations"

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    applicant_id: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    delegate_id: str = Field(sa_column=Column(String(128), nullable=False, index=True))
    matter_codes: list[str] = Field(sa_column=Column(JSON, nullable=False))
    actions: list[str] = Field(sa_column=Column(JSON, nullable=False))
    valid_until: datetime = Field(sa_column=_ts())
    status: str = Field(sa_column=Column(String(16), nullable=False))
    confirmed_by: str = Field(sa_column=Column(String(16), nullable=False))
    created_by: str = Field(sa_column=Column(String(128), nullable=False))
    created_at: datetime = Field(sa_column=_ts())
    confirmed_at: datetime | None = Field(default=None, sa_column=_ts(True))
    revoked_at: datetime | None = Field(default=None, sa_column=_ts(True))
    code_hash: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    code_expires_at: datetime | None = Field(default=None, sa_column=_ts(True))
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    #: document_type, number_masked, number_hash, witness_id, checked_by, checked_at (ISO 8601).
    identity_check: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
