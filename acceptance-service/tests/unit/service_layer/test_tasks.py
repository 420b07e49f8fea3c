"""What an officer does with its department's tasks: approve, reject, ask for a supplement (补正)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from acceptance_builders import officer
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.service_layer.commands import DecideTask, RequestSupplement
from onematter_acceptance.service_layer.tasks import decide_task, request_supplement
from onematter_kit.errors import ForbiddenError, NotFoundError, ValidationProblem


def _task_of(application, department):
    return next(t for t in application.tasks if t.department == department)


async def _approve(uow, task, **extra):
    command = DecideTask(task_id=task.id, officer=officer(task.department), outcome="approved", **extra)
    return await decide_task(command, uow, calendar=WorkCalendar())


async def test_when_every_department_approves_the_application_is_completed_once(uow, submit):
    application = await submit()
    uow.clock.set(datetime(2025, 10, 9, 2, tzinfo=UTC))

    for task in application.tasks:
        await _approve(uow, task)

    stored = uow.stored(application.acceptance_number)
    assert stored.status == "completed" and stored.on_time is True
    assert len(uow.events("gov.onematter.task.completed")) == 5
    [completed] = uow.events("gov.onematter.application.completed")
    assert (completed.data["outcome"], completed.data["on_time"]) == ("approved", True)
    assert [e.kind for e in uow.timeline.stored].count("completed") == 1


async def test_a_rejection_with_its_reason_completes_the_application_with_rejections(uow, submit):
    application = await submit()
    first, *others = application.tasks
    for task in others:
        await _approve(uow, task)

    command = DecideTask(
        task_id=first.id, officer=officer(first.department), outcome="rejected", reason="信息不符"
    )
    await decide_task(command, uow, calendar=WorkCalendar())

    stored = uow.stored(application.acceptance_number)
    assert stored.status == "completed_with_rejections" and stored.rejections[0].reason == "信息不符"
    [completed] = uow.events("gov.onematter.application.completed")
    assert completed.data["rejections"][0]["reason"] == "信息不符"


async def test_an_approval_emits_the_licence_its_item_declares_about_its_subject(uow, submit):
    application = await submit()
    mohrss = _task_of(application, "mohrss")

    await _approve(uow, mohrss)

    [event] = uow.events("gov.onematter.task.completed")
    assert (event.data["licence_type"], event.data["licence_number"]) == ("social_security_card", None)
    # Approved on 2025-09-30 in Beijing; a social security card is valid 10 years from its issue.
    assert event.data["licence_valid_until"] == "2035-09-30"
    assert event.data["result"]["number_prefix"] == "SBK"
    assert event.data["licence_subject_name"] == "张小宝"


async def test_an_officer_cannot_issue_a_licence_type_its_item_does_not_declare(uow, submit):
    application = await submit()
    mohrss = _task_of(application, "mohrss")

    with pytest.raises(ForbiddenError):
        await _approve(
            uow,
            mohrss,
            licence_type="marriage_cert",
            licence_number="X1",
            licence_valid_until=date(2099, 12, 31),
        )

    assert _task_of(uow.stored(application.acceptance_number), "mohrss").status == "in_progress"
    assert uow.emitted == []


@pytest.mark.parametrize(
    ("department", "extra"),
    [
        ("nhc", {"licence_number": "N-1"}),  # generated numbers only
        ("nhc", {"licence_valid_until": date(2030, 1, 1)}),  # a permanent certificate
        ("mohrss", {"licence_valid_until": date(2099, 12, 31)}),  # beyond ten years
    ],
    ids=["own-number", "validity-on-permanent", "validity-too-long"],
)
async def test_a_number_or_validity_the_items_rule_does_not_allow_is_422(uow, submit, department, extra):
    application = await submit()
    task = _task_of(application, department)

    with pytest.raises(ValidationProblem):
        await _approve(uow, task, **extra)

    assert _task_of(uow.stored(application.acceptance_number), department).status == "in_progress"
    assert uow.emitted == []


async def test_a_rejection_issues_nothing_and_may_name_no_licence(uow, submit):
    application = await submit()
    nhc = _task_of(application, "nhc")
    command = DecideTask(
        task_id=nhc.id,
        officer=officer("nhc"),
        outcome="rejected",
        reason="x",
        licence_type="birth_medical_cert",
    )

    with pytest.raises(ForbiddenError):
        await decide_task(command, uow, calendar=WorkCalendar())


async def test_an_officer_of_another_department_finds_no_such_task(uow, submit):
    application = await submit()
    mps = _task_of(application, "mps")

    with pytest.raises(NotFoundError):
        await decide_task(
            DecideTask(task_id=mps.id, officer=officer("nhc"), outcome="approved"),
            uow,
            calendar=WorkCalendar(),
        )
    assert not uow.committed or uow.emitted == []


async def test_a_decided_task_is_not_decided_again_and_nothing_is_emitted(uow, submit):
    application = await submit()
    nhc = _task_of(application, "nhc")
    await _approve(uow, nhc)
    uow.emitted.clear()

    with pytest.raises(NotPossibleNow):
        await _approve(uow, nhc)

    assert uow.emitted == []


async def test_a_supplement_request_pauses_the_task_and_tells_the_applicant_once_per_material(uow, submit):
    application = await submit()
    uow.clock.set(datetime(2025, 10, 9, 2, tzinfo=UTC))

    for department in ("mps", "mohrss"):
        task = _task_of(application, department)
        command = RequestSupplement(
            task_id=task.id, officer=officer(department), materials=["hukou_book"], reason="不清晰"
        )
        await request_supplement(command, uow, calendar=WorkCalendar())

    stored = uow.stored(application.acceptance_number)
    assert stored.status == "waiting_supplement"
    assert stored.open_supplement["hukou_book"].departments == ("mps", "mohrss")
    assert _task_of(stored, "mps").pauses[0].start == date(2025, 10, 9)
    assert len(uow.events("gov.onematter.task.supplement-requested")) == 2
    merged = uow.events("gov.onematter.application.supplement-requested")[-1]
    assert [i["material_type"] for i in merged.data["items"]] == ["hukou_book"]
    # 2025-10-09 + 5 working days: 10-10, 调休 Saturday 10-11, 10-13, 10-14, 10-15 (国办发明电〔2024〕12号)
    assert _task_of(stored, "mps").pauses[0].due == date(2025, 10, 15)
    assert merged.data["due_on"] == "2025-10-15"


async def test_a_department_may_set_its_own_due_date_within_the_bounds(uow, submit):
    application = await submit()
    uow.clock.set(datetime(2025, 10, 9, 2, tzinfo=UTC))
    task = _task_of(application, "mps")
    command = RequestSupplement(
        task_id=task.id,
        officer=officer("mps"),
        materials=["hukou_book"],
        reason="不清晰",
        due_on=date(2025, 10, 20),
    )

    await request_supplement(command, uow, calendar=WorkCalendar())

    stored = uow.stored(application.acceptance_number)
    assert _task_of(stored, "mps").supplement_due == date(2025, 10, 20)
    assert uow.events("gov.onematter.task.supplement-requested")[-1].data["due_on"] == "2025-10-20"


@pytest.mark.parametrize(
    ("due_on", "why"),
    [
        (date(2025, 10, 9), "after today"),  # today is no due date
        (date(2025, 10, 1), "after today"),  # the past
        # 20 working days after Thu 10-09: 10-10, 调休 Sat 10-11, 10-13..17, 20..24, 27..31, 11-03, 04, 05
        (date(2025, 11, 6), "no later than 2025-11-05"),
    ],
)
async def test_a_due_date_out_of_bounds_is_refused_and_nothing_is_paused(uow, submit, due_on, why):
    application = await submit()
    uow.clock.set(datetime(2025, 10, 9, 2, tzinfo=UTC))
    task = _task_of(application, "mps")
    emitted = len(uow.emitted)
    command = RequestSupplement(
        task_id=task.id, officer=officer("mps"), materials=["hukou_book"], reason="不清晰", due_on=due_on
    )

    with pytest.raises(ValidationProblem) as refused:
        await request_supplement(command, uow, calendar=WorkCalendar())

    assert why in str(refused.value.extensions)
    stored = uow.stored(application.acceptance_number)
    assert _task_of(stored, "mps").status == "in_progress" and _task_of(stored, "mps").pauses == []
    assert len(uow.emitted) == emitted


async def test_a_material_the_tasks_item_does_not_require_is_refused_and_nothing_is_paused(uow, submit):
    application = await submit()
    uow.clock.set(datetime(2025, 10, 9, 2, tzinfo=UTC))
    task = _task_of(application, "nhsa")  # its item requires only hukou_book
    emitted = len(uow.emitted)
    command = RequestSupplement(
        task_id=task.id, officer=officer("nhsa"), materials=["hukou_book", "no-such-type"], reason="x"
    )

    with pytest.raises(ValidationProblem) as refused:
        await request_supplement(command, uow, calendar=WorkCalendar())

    assert refused.value.extensions["errors"] == [
        {"field": "materials.1", "message": "is not a material of this task's item"}
    ]
    stored = uow.stored(application.acceptance_number)
    assert _task_of(stored, "nhsa").pauses == [] and stored.open_supplement == {}
    assert len(uow.emitted) == emitted


async def test_a_task_whose_material_is_still_deferred_cannot_be_approved_until_it_arrives(uow, submit):
    # photo is deferrable (容缺) and only 社会保障卡申领 (mohrss) needs it
    application = await submit(types=["id_card", "marriage_cert", "birth_medical_cert", "hukou_book"])
    uow.clock.set(datetime(2025, 10, 9, 2, tzinfo=UTC))
    emitted = len(uow.emitted)

    with pytest.raises(NotPossibleNow, match="still deferred"):
        await _approve(uow, _task_of(application, "mohrss"))
    await _approve(uow, _task_of(application, "nhsa"))  # needs only hukou_book

    stored = uow.stored(application.acceptance_number)
    assert _task_of(stored, "mohrss").status == "in_progress" and stored.deferred_materials == ["photo"]
    assert _task_of(stored, "nhsa").status == "approved"
    assert [e.type for e in uow.emitted[emitted:]] == ["gov.onematter.task.completed"]
