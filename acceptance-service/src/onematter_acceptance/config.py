"""Settings of the acceptance service."""

from __future__ import annotations

from onematter_kit.settings import ServiceSettings
from onematter_workdays import NonWorkingDayRule
from pydantic import Field

__all__ = ["AcceptanceSettings"]


class AcceptanceSettings(ServiceSettings):
    service_name: str = "acceptance"
    database_url: str = "sqlite+aiosqlite:///./data/acceptance.db"
    #: The material service, called on the applicant's behalf to check ownership and licences.
    material_url: str = "http://127.0.0.1:8103"
    material_timeout_seconds: float = Field(default=5.0, gt=0)
    #: The matter catalog, asked for a matter not yet in the local copy (e.g. right after a fresh start).
    catalog_url: str = "http://127.0.0.1:8101"
    #: Seconds to wait for the catalog's answer; its own setting, since a catalog look-up sits on the
    #: submission path for a matter not yet copied, where the material call's budget does not apply.
    catalog_timeout_seconds: float = Field(default=5.0, gt=0)
    #: Official State Council holiday notices (YAML or JSON, a list of ``HolidayNotice``), read at start;
    #: a year without a notice comes from ``chinese_calendar`` or, failing that, the provisional rule.
    work_calendar_file: str | None = None
    #: An application accepted on a non-working day: that day is day 0 (default) or it is deemed accepted on
    #: the next working day (顺延). See ``onematter_workdays.NonWorkingDayRule`` for the sources.
    non_working_day_rule: NonWorkingDayRule = NonWorkingDayRule.DEFAULT
    #: How often the overdue check runs (seconds).
    overdue_check_interval_seconds: float = Field(default=300.0, gt=0)
    #: How often every replica (also one with ``RUN_WORKERS=false``) checks for a newly stored holiday
    #: notice and rebuilds its calendar (seconds); the overdue round does it too.
    calendar_refresh_interval_seconds: float = Field(default=60.0, gt=0)
    #: How many working days before a 补正 / 容缺 due date the applicant is reminded (once).
    supplement_reminder_working_days: int = Field(default=1, ge=0, le=10)
