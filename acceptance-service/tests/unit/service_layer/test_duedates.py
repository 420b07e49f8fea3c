"""The 补正 / 容缺 due-date round as a handler on fakes (issue 15): events, state, each at most once.

新生儿出生一件事 is accepted on Tue 2025-09-30; calendar 国办发明电〔2024〕12号 (国庆 10-01..10-08 off,
Saturday 10-11 worked). The item terms come from the catalog copy, as published.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from acceptance_builders import officer
from acceptance_testing import newborn_matter
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer.commands import CheckDueDates, DecideTask, RequestSupplement
from onematter_acceptance.service_layer.duedates import check_due_dates
from onematter_acceptance.service_layer.tasks import decide_task, request_supplement
from onematter_events.matters import DeferralTerm, DueTerm

CAL = WorkCalendar()
REMINDER = "gov.onematter.task.supplement-reminder"
EXPIRED = "gov.onematter.task.supplement-expired"


def _task_of(application, department):
    return next(t for t in application.tasks if t.department == department)


def _on(uow, day: date) -> None:
    uow.clock.set(datetime(day.year, day.month, day.day, 2, tzinfo=UTC))  # 10:00 in Beijing


async def _round(uow, day: date, **options) -> int:
    _on(uow, day)
    return await check_due_dates(CheckDueDates(**options), uow, calendar=CAL)


async def _publish_terms(uow, *, supplement: DueTerm | None = None, deferral: DeferralTerm | None = None):
    """Version 2 of the matter with every item's 补正 term and every deferrable material's term set."""
    matter = newborn_matter(version=2, deferrable=frozenset({"photo"}))
    items = [
        i.model_copy(
            update={
                "supplement_term": supplement,
                "materials": [
                    m.model_copy(update={"deferral": deferral if m.deferrable else None}) for m in i.materials
                ],
            }
        )
        for i in matter.items
    ]
    await uow.fake_matters.save(matter.model_copy(update={"items": items}), received_at=uow.clock.now())


async def _request(uow, application, department="mps", **extra):
    _on(uow, date(2025, 10, 9))
    task = _task_of(application, department)
    command = RequestSupplement(
        task_id=task.id, officer=officer(department), materials=["hukou_book"], reason="不清晰", **extra
    )
    return await request_supplement(command, uow, calendar=CAL)


async def test_a_supplement_is_reminded_once_and_ends_the_task_the_day_after_its_due_date(uow, submit):
    application = await submit()
    await _request(uow, application)  # due 10-15: 10-10, Sat 10-11, 10-13, 10-14, 10-15
    uow.emitted.clear()

    counts = [await _round(uow, day) for day in (date(2025, 10, 13), date(2025, 10, 14), date(2025, 10, 14))]
    on_due_day = await _round(uow, date(2025, 10, 15))
    expired = await _round(uow, date(2025, 10, 16))
    after = await _round(uow, date(2025, 10, 17))

    assert (counts, on_due_day, expired, after) == ([0, 1, 0], 0, 1, 0)
    [reminder] = uow.events(REMINDER)
    assert (reminder.data["due_for"], reminder.data["due_on"], reminder.data["materials"]) == (
        "supplement",
        "2025-10-15",
        ["hukou_book"],
    )
    [ended] = uow.events(EXPIRED)
    assert (ended.data["department"], ended.data["consequence"], ended.data["applicant_id"]) == (
        "mps",
        "not_accepted",
        "zhangsan",
    )
    assert ended.data["reason"] == "补正材料未在2025-10-15前提交，按事项规定，不予受理。"
    stored = uow.stored(application.acceptance_number)
    mps = _task_of(stored, "mps")
    assert mps.status == "not_accepted" and mps.pauses[0].end == date(2025, 10, 15)
    assert stored.status == "in_progress" and stored.open_supplement == {}
    kinds = [e.kind for e in uow.timeline.stored if e.application_id == stored.id]
    assert kinds[-2:] == ["supplement_reminder", "supplement_expired"]


async def test_the_items_term_sets_the_default_due_date_and_its_consequence(uow, submit):
    await _publish_terms(
        uow, supplement=DueTerm(working_days=3, consequence="terminated", basis="本事项实施清单")
    )
    application = await submit()

    task = await _request(uow, application)  # 3 working days after 10-09: 10-10, Sat 10-11, 10-13
    await _round(uow, date(2025, 10, 14))

    assert task.supplement_due == date(2025, 10, 13)
    [ended] = uow.events(EXPIRED)
    assert (ended.data["consequence"], ended.data["basis"]) == ("terminated", "本事项实施清单")
    assert _task_of(uow.stored(application.acceptance_number), "mps").status == "terminated"


async def test_the_reminder_can_come_earlier_by_setting(uow, submit):
    application = await submit()
    await _request(uow, application)  # due 10-15

    assert await _round(uow, date(2025, 10, 10), reminder_days=3) == 0  # horizon: 10-11, 10-13, 10-14
    assert await _round(uow, date(2025, 10, 13), reminder_days=2) == 1  # horizon: 10-14, 10-15


async def test_a_deferred_material_is_reminded_then_ends_its_task_and_completes_the_application(uow, submit):
    application = await submit(types=["id_card", "marriage_cert", "birth_medical_cert", "hukou_book"])
    _on(uow, date(2025, 10, 9))
    for task in application.tasks:
        if task.department != "mohrss":  # the only item needing the deferred photo
            decided = DecideTask(task_id=task.id, officer=officer(task.department), outcome="approved")
            await decide_task(decided, uow, calendar=CAL)
    uow.emitted.clear()

    reminded = await _round(uow, date(2025, 10, 13))  # due 10-14: 10-09, 10, Sat 11, 13, 14
    expired = await _round(uow, date(2025, 10, 15))

    assert (reminded, expired) == (1, 1)
    assert [e.type for e in uow.emitted] == [REMINDER, EXPIRED, "gov.onematter.application.completed"]
    assert uow.events(EXPIRED)[0].data["due_for"] == "deferred"
    completed = uow.events("gov.onematter.application.completed")[0]
    assert completed.data["outcome"] == "completed_with_rejections"
    assert [r["department"] for r in completed.data["rejections"]] == ["mohrss"]


async def test_an_item_that_may_decide_before_the_material_arrives_is_approved_while_it_is_deferred(
    uow, submit
):
    await _publish_terms(uow, deferral=DeferralTerm(working_days=5, decide_before_arrival=True))
    application = await submit(types=["id_card", "marriage_cert", "birth_medical_cert", "hukou_book"])
    mohrss = _task_of(application, "mohrss")

    decided = DecideTask(task_id=mohrss.id, officer=officer("mohrss"), outcome="approved")
    await decide_task(decided, uow, calendar=CAL)

    assert _task_of(uow.stored(application.acceptance_number), "mohrss").status == "approved"
    assert await _round(uow, date(2025, 10, 20)) == 0
