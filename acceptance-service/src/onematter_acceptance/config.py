"""Settings of the acceptance service."""

from __future__ import annotations

from onematter_kit.settings import ServiceSettings
from pydantic import Field

__all__ = ["AcceptanceSettings"]


class AcceptanceSettings(ServiceSettings):
    service_name: str = "acceptance"
    database_url: str = "sqlite+aiosqlite:///./data/acceptance.db"
    #: The material service, called on the applicant's behalf to check ownership and licences.
    material_url: str = "http://127.0.0.1:8103"
    material_timeout_seconds: float = Field(default=5.0, gt=0)
    #: Operator calendar (JSON or YAML) for years ``chinese_calendar`` does not know yet.
    work_calendar_file: str | None = None
    #: How often the overdue check runs (seconds).
    overdue_check_interval_seconds: float = Field(default=300.0, gt=0)
