"""Reading: the application as each role may see it, lists by role, the workbench queue."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from acceptance_builders import officer
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer.queries import (
    ListApplications,
    ListTasks,
    ReadApplication,
    ReadTask,
    application_detail,
    list_applications,
    list_tasks,
    read_task,
)
from onematter_kit.errors import NotFoundError
from onematter_testkit import make_principal

CALENDAR = WorkCalendar()


async def test_the_applicant_reads_the_whole_file_with_its_matter_name_and_timeline(uow, submit):
    application = await submit()

    reading = await application_detail(
        ReadApplication(application.acceptance_number, make_principal("zhangsan", "applicant")),
        uow,
        calendar=CALENDAR,
    )

    assert reading.matter_name_zh == "新生儿出生一件事" and len(reading.tasks) == 5
    assert reading.form["household_address"] and "hukou_book" in reading.materials
    assert [e.kind for e in reading.timeline] == ["accepted"] and reading.review is None


async def test_an_officer_sees_only_its_departments_task_fields_and_materials(uow, submit):
    application = await submit()

    reading = await application_detail(
        ReadApplication(application.acceptance_number, officer("nhc")), uow, calendar=CALENDAR
    )

    assert [t.task.department for t in reading.tasks] == ["nhc"]
    assert "household_address" not in reading.form and "hukou_book" not in reading.materials


async def test_another_applicant_and_an_officer_without_a_task_find_nothing(uow, submit):
    application = await submit()

    for stranger in (make_principal("lisi", "applicant"), officer("cdpf")):
        with pytest.raises(NotFoundError):
            await application_detail(
                ReadApplication(application.acceptance_number, stranger), uow, calendar=CALENDAR
            )


async def test_each_role_lists_its_own_applications(uow, submit):
    await submit("zhangsan")
    await submit("lisi")

    async def listed(principal) -> int:
        return (await list_applications(ListApplications(principal=principal, limit=20, offset=0), uow))[1]

    assert await listed(make_principal("zhangsan", "applicant")) == 1
    assert await listed(make_principal("supervisor", "supervisor")) == 2
    assert await listed(officer("mps")) == 2 and await listed(officer("cdpf")) == 0
    assert await listed(make_principal("clerk01", "clerk")) == 0


async def test_the_queue_filters_overdue_tasks_and_counts_working_days_left_in_china(uow, submit):
    uow.clock.set(datetime(2025, 9, 25, 2, tzinfo=UTC))  # Thursday; the 1-day tasks are due Friday 09-26
    await submit()
    uow.clock.set(datetime(2025, 9, 28, 17, tzinfo=UTC))  # 01:00 on Monday 09-29 in Beijing

    [late], _ = await list_tasks(
        ListTasks(officer=officer("nhc"), limit=20, offset=0, overdue=True), uow, calendar=CALENDAR
    )
    _, not_late = await list_tasks(
        ListTasks(officer=officer("nhc"), limit=20, offset=0, overdue=False), uow, calendar=CALENDAR
    )
    [running], _ = await list_tasks(
        ListTasks(officer=officer("mohrss"), limit=20, offset=0), uow, calendar=CALENDAR
    )

    assert (late.overdue, late.working_days_left, not_late) == (
        True,
        -2,
        0,
    )  # 调休 Sunday 09-28, Monday 09-29
    assert (running.overdue, running.working_days_left) == (False, 7)  # due 10-15, National Day off
    assert running.deadline.due == date(2025, 10, 15)


async def test_a_task_of_another_department_is_not_found(uow, submit):
    application = await submit()
    mps = next(t for t in application.tasks if t.department == "mps")

    found = await read_task(ReadTask(mps.id, officer("mps")), uow, calendar=CALENDAR)

    assert found.task.id == mps.id and found.application.acceptance_number == application.acceptance_number
    with pytest.raises(NotFoundError):
        await read_task(ReadTask(mps.id, officer("nhc")), uow, calendar=CALENDAR)
