"""Settings of the material service."""

from __future__ import annotations

from pathlib import Path

from onematter_kit.settings import ServiceSettings
from pydantic import Field

from onematter_material.domain.media import ContainerLimits

__all__ = ["MaterialSettings"]

MIB = 1024 * 1024


class MaterialSettings(ServiceSettings):
    service_name: str = "material"
    database_url: str = "sqlite+aiosqlite:///./data/material.db"
    #: ``MATERIAL_STORAGE_DIR`` — root of the content-addressed blob store (local filesystem).
    material_storage_dir: Path = Path("./data/materials")
    #: ``MAX_UPLOAD_BYTES`` — the largest file accepted; one byte more is a 413.
    max_upload_bytes: int = Field(default=20 * MIB, ge=1024)
    #: ``MAX_CONTAINER_ENTRIES`` — a ZIP container (OFD) with more entries is refused (422).
    max_container_entries: int = Field(default=ContainerLimits.max_entries, ge=1)
    #: ``MAX_CONTAINER_EXPANDED_BYTES`` — a ZIP container (OFD) whose entries decompress to more is refused
    #: (413); it is read up to one byte past this, never further.
    max_container_expanded_bytes: int = Field(default=ContainerLimits.max_expanded_bytes, ge=1024)
    #: ``ACCEPTANCE_URL`` — where delegations (委托) are checked before a delegate uploads for an applicant.
    acceptance_url: str = "http://127.0.0.1:8102"
    acceptance_timeout_seconds: float = Field(default=5.0, gt=0)
    #: ``MATERIAL_ORPHAN_GRACE_SECONDS`` — the storage sweep removes partial uploads and blob files no row
    #: references only once their mtime is older than this: longer than any upload takes (20 MiB on the
    #: slowest service-hall line is minutes), so another replica's upload in flight is never touched.
    material_orphan_grace_seconds: float = Field(default=3600.0, ge=0)
    #: ``MATERIAL_SWEEP_INTERVAL_SECONDS`` — how often each replica sweeps (also once at start-up).
    material_sweep_interval_seconds: float = Field(default=3600.0, gt=0)

    def container_limits(self) -> ContainerLimits:
        return ContainerLimits(
            max_entries=self.max_container_entries, max_expanded_bytes=self.max_container_expanded_bytes
        )
