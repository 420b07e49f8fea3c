"""Keeping this replica's calendar equal to the notices stored in the database (every replica runs it).

Each overdue round first stores the notices of the operator's file if it changed (or on the first round;
:func:`onematter_acceptance.service_layer.notices.seed_notice`), then compares the id of the last stored
notice with the one its calendar was built from — a cheap query — and rebuilds the calendar when another
replica (or the API) loaded a notice. The deadlines were already moved by whoever loaded it.

A replica started with ``RUN_WORKERS=false`` runs no overdue round, yet computes deadlines for the
applications it accepts: :func:`calendar_refresher` keeps its calendar current on its own schedule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from onematter_kit.backoff import Backoff, run_forever
from onematter_workdays import NoticeInvalid

from onematter_acceptance.adapters.calendar_file import CalendarFile
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.notices import seed_notice
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["CalendarSync", "calendar_refresher"]

log = logging.getLogger("onematter.acceptance.calendar")


class CalendarSync:
    """Call it once per round; it replaces ``collaborators.calendar`` when the stored notices changed."""

    def __init__(
        self,
        calendar_file: CalendarFile,
        uow: Callable[[], AcceptanceUnitOfWork],
        collaborators: Collaborators,
    ) -> None:
        self.calendar_file, self.uow, self.collaborators = calendar_file, uow, collaborators
        self._built_from: int | None = None
        self._built = False

    async def __call__(self) -> None:
        await self._seed()
        await self.refresh()

    async def _seed(self) -> None:
        """The file's notices if it changed; an invalid file is logged and nothing stored, so a typo in a
        notice never stops the legal clock."""
        try:
            notices = self.calendar_file.changed_notices()
        except NoticeInvalid as error:
            log.error("notices file invalid; calendar kept", extra={"problems": error.problems})
            return
        rule = self.collaborators.calendar.rule
        for notice in notices or ():
            if await seed_notice(notice, self.uow(), rule=rule):
                log.info(
                    "notices file: notice stored", extra={"year": notice.year, "version": notice.version}
                )

    async def refresh(self) -> None:
        """Rebuild the calendar from the stored notices if one was stored since it was last built."""
        async with self.uow() as uow:
            latest = await uow.notices.latest_id()
            if self._built and latest == self._built_from:
                return
            notices = await uow.notices.in_force()
        self.collaborators.calendar = WorkCalendar(notices, rule=self.collaborators.calendar.rule)
        self._built_from, self._built = latest, True


async def calendar_refresher(
    uow: Callable[[], AcceptanceUnitOfWork], collaborators: Collaborators, *, interval: float
) -> None:
    """Every ``interval`` seconds, rebuild this replica's calendar if a notice was stored since (one cheap
    query when nothing changed); runs on every replica until cancelled, a failed query retried with
    backoff."""
    sync = CalendarSync(CalendarFile(None), uow, collaborators)
    backoff = Backoff(initial=min(1.0, interval), maximum=interval)
    await run_forever(sync.refresh, every=interval, backoff=backoff, log=log, what="calendar refresh failed")
