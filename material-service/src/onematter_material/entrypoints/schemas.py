"""The HTTP contract (separate from the tables, so either can change without the other).

Instants are ``ChinaTime``: RFC 3339 with ``+08:00``; dates (a licence's validity) are dates in China.
"""

from __future__ import annotations

from datetime import date

from onematter_kit.clock import ChinaTime
from pydantic import BaseModel, ConfigDict, Field

from onematter_material.adapters.tables import Material

__all__ = [
    "AccessLogEntryPublic",
    "LicenceEndIn",
    "LicencePublic",
    "LicenceStatusPublic",
    "LicenceVerificationPublic",
    "MaterialPublic",
]


class MaterialPublic(BaseModel):
    id: str
    material_type: str
    sha256: str
    size: int
    media_type: str
    file_name: str
    created_at: ChinaTime

    @classmethod
    def of(cls, row: Material) -> MaterialPublic:
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
    model_config = ConfigDict(from_attributes=True)

    id: str
    licence_type: str
    number: str
    holder_id: str
    issuing_department: str
    valid_from: date
    valid_until: date | None
    verification_code: str
    #: As of today in China: a valid licence past ``valid_until`` reads ``expired``.
    status: str
    application_id: str | None
    task_id: str | None
    issued_at: ChinaTime
    #: Whom the licence is about when not the holder (the newborn's, held by a parent); None: the holder.
    subject_name: str | None = None
    #: 吊销/注销: the issuing department's reason and when (None while in force).
    status_reason: str | None = None
    status_changed_at: ChinaTime | None = None


class LicenceEndIn(BaseModel):
    """Why the issuing department revokes (吊销) or cancels (注销) the licence; shown to the holder."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


class LicenceStatusPublic(BaseModel):
    """A licence's status as its issuing department sees it after a revocation or cancellation."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    licence_type: str
    number: str
    issuing_department: str
    status: str
    status_reason: str | None
    status_changed_at: ChinaTime | None


class LicenceVerificationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    genuine: bool
    licence_type: str
    number: str
    issuing_department: str
    valid_from: date
    valid_until: date | None
    status: str
    holder_name_masked: str | None
    #: The issuer's issue date (the first valid day) and, once revoked or cancelled, that day (China dates).
    issued_on: date
    status_changed_on: date | None = None


class AccessLogEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    material_id: str
    material_type: str
    reader_id: str
    reader_name: str | None
    department: str | None
    task_id: str | None
    action: str
    read_at: ChinaTime
    #: The delegation (委托) the reader acted under (帮办代办), else null.
    delegation_id: str | None = None
