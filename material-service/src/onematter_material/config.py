"""Settings of the material service."""

from __future__ import annotations

from pathlib import Path

from onematter_kit.settings import ServiceSettings
from pydantic import Field

__all__ = ["MaterialSettings"]

MIB = 1024 * 1024


class MaterialSettings(ServiceSettings):
    service_name: str = "material"
    database_url: str = "sqlite+aiosqlite:///./data/material.db"
    #: ``MATERIAL_STORAGE_DIR`` — root of the content-addressed blob store (local filesystem).
    material_storage_dir: Path = Path("./data/materials")
    #: ``MAX_UPLOAD_BYTES`` — the largest file accepted; one byte more is a 413.
    max_upload_bytes: int = Field(default=20 * MIB, ge=1024)
    #: ``ACCEPTANCE_URL`` — where delegations (委托) are checked before a delegate uploads for an applicant.
    acceptance_url: str = "http://127.0.0.1:8102"
    acceptance_timeout_seconds: float = Field(default=5.0, gt=0)
