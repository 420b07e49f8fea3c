"""The overdue check: a warning a working day before, overdue after, each once; provisional deadlines
recomputed once the calendar knows the year."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, date, datetime

from acceptance_builders import material_client, notice_2027, official_2027
from acceptance_fakes import FakeAcceptanceUnitOfWork
from notice_fakes import FakeNoticeRepository
from onematter_acceptance.adapters.calendar_file import CalendarFile
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.commands import CheckOverdue
from onematter_acceptance.service_layer.overdue import check_overdue, overdue_worker
from onematter_clock import FixedClock
from onematter_testkit import wait_for


async def test_the_check_warns_once_before_and_reports_overdue_once_after(uow, submit):
    await submit()  # accepted 09-30: four 1-day tasks due 10-09, mohrss due 10-21
    calendar = WorkCalendar()

    warned = await check_overdue(CheckOverdue(today=date(2025, 9, 30)), uow, calendar=calendar)
    again = await check_overdue(CheckOverdue(today=date(2025, 9, 30)), uow, calendar=calendar)
    late = await check_overdue(CheckOverdue(today=date(2025, 10, 10)), uow, calendar=calendar)

    assert (warned, again, late) == (4, 0, 4)
    assert len(uow.events("gov.onematter.task.overdue-warning")) == 4
    assert {e.data["department"] for e in uow.events("gov.onematter.task.overdue")} == {
        "nhc",
        "ndcpa",
        "mps",
        "nhsa",
    }


async def test_today_is_the_clocks_date_in_china(uow, submit):
    await submit()
    uow.clock.set(datetime(2025, 10, 9, 16, 30, tzinfo=UTC))  # 00:30 on 10-10 in Beijing

    assert await check_overdue(CheckOverdue(), uow, calendar=WorkCalendar()) == 4
    assert {e.type for e in uow.emitted} == {"gov.onematter.task.overdue"}


async def test_a_provisional_deadline_is_recomputed_once_an_official_notice_for_the_year_is_loaded(
    uow, submit
):
    uow.clock.set(datetime(2026, 12, 28, 2, tzinfo=UTC))
    application = await submit()
    official = official_2027()

    await check_overdue(CheckOverdue(today=date(2026, 12, 28)), uow, calendar=official)

    stored = uow.stored(application.acceptance_number)
    assert application.deadline_provisional and not stored.deadline_provisional
    assert stored.deadline == date(2027, 1, 12)  # 29, 30, 31, (元旦) 04..08, 11, 12


async def test_the_worker_reloads_a_changed_calendar_file_and_runs_until_cancelled(
    tmp_path, material_service
):
    path = tmp_path / "notices.json"
    path.write_text("[]", encoding="utf-8")
    watched = CalendarFile(str(path))
    collaborators = Collaborators(materials=material_client(material_service), calendar=watched.calendar())
    path.write_text(json.dumps([notice_2027()]), encoding="utf-8")
    os.utime(path, (1, 1))  # a different modification time, whatever the file system's resolution
    rounds: list[FakeAcceptanceUnitOfWork] = []
    database = FakeNoticeRepository()  # the stored notices, shared by every unit of work like a database

    def new_uow() -> FakeAcceptanceUnitOfWork:
        rounds.append(FakeAcceptanceUnitOfWork(FixedClock(datetime(2026, 12, 28, 2, tzinfo=UTC))))
        rounds[-1].notices = rounds[-1].fake_notices = database
        return rounds[-1]

    worker = asyncio.create_task(overdue_worker(new_uow, collaborators, interval=0.01, calendar_file=watched))

    async def two_rounds() -> bool:
        return len(rounds) >= 2

    await wait_for(two_rounds, timeout=10, interval=0.01, message="two rounds of the overdue check")
    worker.cancel()

    assert collaborators.calendar.classify(date(2027, 1, 1)) == (False, "元旦", True)
    assert [stored.notice.year for stored in database.stored] == [2027]  # the file seeded the database
    assert rounds[0].committed
