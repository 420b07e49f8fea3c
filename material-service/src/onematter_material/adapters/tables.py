"""The material service's tables (all prefixed ``material_``); Alembic reads ``metadata``.

A blob is stored once per distinct content (sha256); materials point at blobs, so the number of materials
referencing a blob is its reference count (derived, never stored, so it cannot drift). Instants are
``UtcDateTime`` columns (aware on every database) and have no default: the repositories stamp them from
the unit of work's clock.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from onematter_kit.tables import OutboxMessage, ProcessedEvent, UtcDateTime
from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "AccessGrant",
    "AccessLogEntry",
    "Blob",
    "Licence",
    "LicenceSequence",
    "Material",
    "OutboxMessage",
    "ProcessedEvent",
    "metadata",
]

metadata = SQLModel.metadata


def _uuid() -> str:
    return str(uuid.uuid4())


def _ts(*, nullable: bool = False) -> Column[datetime]:
    return Column(UtcDateTime(), nullable=nullable)


class Blob(SQLModel, table=True):
    __tablename__ = "material_blobs"

    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    media_type: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = Field(sa_column=_ts())


class Material(SQLModel, table=True):
    """One material in its owner's locker; many materials may share one blob."""

    __tablename__ = "material_materials"
    __table_args__ = (Index("ix_material_materials_owner", "owner_id", "created_at"),)

    id: str = Field(default_factory=_uuid, sa_column=Column(String(36), primary_key=True))
    owner_id: str = Field(sa_column=Column(String(128), nullable=False))
    material_type: str = Field(sa_column=Column(String(64), nullable=False))
    blob_sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("material_blobs.sha256"), nullable=False, index=True)
    )
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    media_type: str = Field(sa_column=Column(String(64), nullable=False))
    #: The client's file name, sanitised; shown in Content-Disposition, never used as a path.
    file_name: str = Field(sa_column=Column(String(255), nullable=False))
    created_at: datetime = Field(sa_column=_ts())


class Licence(SQLModel, table=True):
    """电子证照 — issued when a department approves a task that issues one."""

    __tablename__ = "material_licences"
    __table_args__ = (
        UniqueConstraint("task_id", "licence_type", name="uq_material_licences_task_type"),
        # Two replicas can never both hold ``SBK-20261201-000001``: the database refuses the second.
        UniqueConstraint("licence_type", "number", name="uq_material_licences_type_number"),
        Index("ix_material_licences_holder", "holder_id", "licence_type"),
    )

    id: str = Field(default_factory=_uuid, sa_column=Column(String(36), primary_key=True))
    licence_type: str = Field(sa_column=Column(String(64), nullable=False))
    number: str = Field(sa_column=Column(String(128), nullable=False))
    holder_id: str = Field(sa_column=Column(String(128), nullable=False))
    #: Learnt from the holder's own requests (events do not carry names); shown masked on verification.
    holder_name: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    issuing_department: str = Field(sa_column=Column(String(32), nullable=False))
    valid_from: date = Field(sa_column=Column(Date, nullable=False))
    valid_until: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    verification_code: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    status: str = Field(default="valid", sa_column=Column(String(16), nullable=False))
    application_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    task_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    issued_at: datetime = Field(sa_column=_ts())
    #: Whom the licence is about when not the holder (from the form field the item's result names).
    subject_name: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    subject_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    #: 吊销/注销 by the issuing department: why, when and by which officer (None while in force).
    status_reason: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))
    status_changed_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    status_changed_by: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))


class LicenceSequence(SQLModel, table=True):
    """The last sequence number claimed for a generated-number stem (``<prefix>-<YYYYMMDD>-``).

    Claimed with one atomic upsert that locks the row until the issuing transaction ends, so concurrent
    issuers (several replicas) get consecutive numbers instead of the same one."""

    __tablename__ = "material_licence_sequences"

    stem: str = Field(sa_column=Column(String(160), primary_key=True))
    last: int = Field(sa_column=Column(Integer, nullable=False))


class AccessGrant(SQLModel, table=True):
    """A department may read a material while the task that references it is open (need-to-know)."""

    __tablename__ = "material_access_grants"
    __table_args__ = (
        UniqueConstraint("task_id", "material_id", name="uq_material_access_grants_task_material"),
        Index("ix_material_access_grants_lookup", "material_id", "department", "active"),
    )

    id: str = Field(default_factory=_uuid, sa_column=Column(String(36), primary_key=True))
    department: str = Field(sa_column=Column(String(32), nullable=False))
    material_id: str = Field(
        sa_column=Column(String(36), ForeignKey("material_materials.id", ondelete="CASCADE"), nullable=False)
    )
    task_id: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    application_id: str = Field(sa_column=Column(String(64), nullable=False))
    active: bool = Field(default=True)
    granted_at: datetime = Field(sa_column=_ts())
    ended_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class AccessLogEntry(SQLModel, table=True):
    """One read of a material by someone other than its owner (who, which department, which task, when)."""

    __tablename__ = "material_access_log"
    __table_args__ = (Index("ix_material_access_log_owner", "owner_id", "read_at"),)

    id: str = Field(default_factory=_uuid, sa_column=Column(String(36), primary_key=True))
    #: Kept with the entry so the owner's log survives the material's deletion.
    owner_id: str = Field(sa_column=Column(String(128), nullable=False))
    material_id: str = Field(sa_column=Column(String(36), nullable=False))
    material_type: str = Field(sa_column=Column(String(64), nullable=False))
    reader_id: str = Field(sa_column=Column(String(128), nullable=False))
    reader_name: str | None = Field(default=None, sa_column=Column(String(128), nullable=True))
    department: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    task_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    #: ``metadata`` or ``content`` (a read); ``uploaded``: a window clerk's upload for the owner (帮办代办).
    action: str = Field(sa_column=Column(String(16), nullable=False))
    read_at: datetime = Field(sa_column=_ts())
    #: The delegation (委托) the reader acted under (帮办代办), else NULL.
    delegation_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
