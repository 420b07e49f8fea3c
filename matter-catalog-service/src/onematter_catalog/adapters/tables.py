"""The matter-catalog service's tables. Alembic reads ``metadata`` to generate migrations.

Names are prefixed ``catalog_`` (every service's tables share one process in tests). Drafts and published
versions are stored as JSON documents of the domain models: a published version's row is the exact
``MatterPublished`` payload that was emitted, and it is never updated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from onematter_kit.tables import OutboxMessage, ProcessedEvent, UtcDateTime
from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

__all__ = [
    "CatalogDepartment",
    "CatalogItem",
    "CatalogItemUsage",
    "CatalogMaterialType",
    "CatalogMatter",
    "CatalogMatterVersion",
    "CatalogPendingTopic",
    "OutboxMessage",
    "ProcessedEvent",
    "metadata",
]

metadata = SQLModel.metadata


def _instant_column() -> Any:
    """An instant (aware, stored in UTC); set from the unit of work's clock, never by a default."""
    return Field(sa_column=Column(UtcDateTime(), nullable=False))


class CatalogDepartment(SQLModel, table=True):
    __tablename__ = "catalog_departments"

    code: str = Field(sa_column=Column(String(32), primary_key=True))
    name_zh: str = Field(sa_column=Column(String(100), nullable=False))
    name_en: str = Field(sa_column=Column(String(200), nullable=False))


class CatalogMaterialType(SQLModel, table=True):
    __tablename__ = "catalog_material_types"

    code: str = Field(sa_column=Column(String(64), primary_key=True))
    name_zh: str = Field(sa_column=Column(String(100), nullable=False))
    name_en: str = Field(sa_column=Column(String(200), nullable=False))
    licence: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))


class CatalogMatter(SQLModel, table=True):
    """A key matter: its editable draft and a pointer to its current published version."""

    __tablename__ = "catalog_matters"

    code: str = Field(sa_column=Column(String(64), primary_key=True))
    #: draft (never published) | published | retired
    status: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    subject: str = Field(sa_column=Column(String(16), nullable=False))
    stage: str = Field(sa_column=Column(String(64), nullable=False))
    name_zh: str = Field(sa_column=Column(String(200), nullable=False))
    name_en: str = Field(sa_column=Column(String(300), nullable=False))
    #: ",a,b," — departments of the current published version, for the list's department filter.
    departments: str = Field(default=",", sa_column=Column(String(2000), nullable=False))
    draft: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    #: The draft differs from the current published version (there is something to publish).
    draft_changed: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    current_version: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    created_at: datetime = _instant_column()
    updated_at: datetime = _instant_column()


class CatalogMatterVersion(SQLModel, table=True):
    """An immutable published version: the full ``MatterPublished`` payload."""

    __tablename__ = "catalog_matter_versions"

    matter_code: str = Field(
        sa_column=Column(String(64), ForeignKey("catalog_matters.code"), primary_key=True)
    )
    version: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    published_at: datetime = _instant_column()


class CatalogItem(SQLModel, table=True):
    """A service item's newest published definition (the ``ItemSpec`` JSON)."""

    __tablename__ = "catalog_items"

    code: str = Field(sa_column=Column(String(64), primary_key=True))
    department: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _instant_column()


class CatalogItemUsage(SQLModel, table=True):
    """Which live (published, not retired) matters bundle which items."""

    __tablename__ = "catalog_item_usages"

    item_code: str = Field(sa_column=Column(String(64), primary_key=True))
    matter_code: str = Field(sa_column=Column(String(64), primary_key=True))


class CatalogPendingTopic(SQLModel, table=True):
    """A department whose task topic must still be created; written with the publish, removed once created."""

    __tablename__ = "catalog_pending_topics"

    department: str = Field(sa_column=Column(String(32), primary_key=True))
    requested_at: datetime = _instant_column()
