"""What handlers need besides a unit of work, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.adapters.repository import AcceptanceUnitOfWork
from onematter_acceptance.domain.calendar import WorkCalendar

__all__ = ["Collaborators"]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Collaborators:
    uow: Callable[[], AcceptanceUnitOfWork]
    materials: MaterialClient
    calendar: WorkCalendar
    #: The clock; tests replace it to pin dates.
    now: Callable[[], datetime] = field(default=_now)

    def today(self) -> date:
        return self.now().date()
