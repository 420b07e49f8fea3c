"""What handlers need besides the unit of work, built once per process by the composition root.

There is no clock here: "now" comes from the unit of work (``uow.clock``, the runtime's one clock).
``calendar`` is the one calendar seam of the process; the overdue worker replaces it when the operator's
calendar file changes, so every later handler call sees the new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from onematter_acceptance.adapters.catalog_client import CatalogClient
from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.domain.calendar import WorkCalendar

__all__ = ["Collaborators"]


@dataclass
class Collaborators:
    materials: MaterialClient
    calendar: WorkCalendar
    #: Asked for a matter the local copy of the catalog does not have yet (``None``: nobody is asked).
    catalog: CatalogClient | None = None
