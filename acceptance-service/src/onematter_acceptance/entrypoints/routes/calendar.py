"""The operator's view of the legal calendar (admin): which official notices this replica loaded.

Loading a notice through the API (``POST``) is not built yet; notices come from the ``WORK_CALENDAR_FILE``
read at start (and re-read when the file changes).
"""

from __future__ import annotations

from fastapi import APIRouter
from onematter_kit.identity import Role
from onematter_kit.internal_auth import require_roles

from onematter_acceptance.entrypoints.deps import CalendarDep
from onematter_acceptance.entrypoints.public.calendar import CalendarPublic

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/admin/calendar", tags=["calendar"])


@router.get("/notices", dependencies=[require_roles(Role.admin)])
async def list_notices(calendar: CalendarDep) -> CalendarPublic:
    """The official State Council notices loaded, one per year (the highest version), and the rule for an
    application accepted on a non-working day."""
    return CalendarPublic.of(calendar)
