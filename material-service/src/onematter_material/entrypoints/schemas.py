"""The HTTP contract (separate from the tables, so either can change without the other)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

__all__ = ["AccessLogEntryPublic", "LicencePublic", "LicenceVerificationPublic", "MaterialPublic", "Page"]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class MaterialPublic(BaseModel):
    id: str
    material_type: str
    sha256: str
    size: int
    media_type: str
    file_name: str
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> MaterialPublic:
        """From a stored material (its blob is named ``sha256`` here: clients see content, not storage)."""
        return cls(
            id=row.id,
            material_type=row.material_type,
            sha256=row.blob_sha256,
            size=row.size,
            media_type=row.media_type,
            file_name=row.file_name,
            created_at=row.created_at,
        )


class LicencePublic(BaseModel):
    id: str
    licence_type: str
    number: str
    holder_id: str
    issuing_department: str
    valid_from: date
    valid_until: date | None
    verification_code: str
    status: str
    application_id: str | None
    task_id: str | None
    issued_at: datetime


class LicenceVerificationPublic(BaseModel):
    genuine: bool
    licence_type: str
    number: str
    issuing_department: str
    valid_from: date
    valid_until: date | None
    status: str
    holder_name_masked: str | None


class AccessLogEntryPublic(BaseModel):
    material_id: str
    material_type: str
    reader_id: str
    reader_name: str | None
    department: str | None
    task_id: str | None
    action: str
    read_at: datetime
