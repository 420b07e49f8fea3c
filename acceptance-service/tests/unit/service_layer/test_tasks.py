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
        await request_supplement(command, uow)

    stored = uow.stored(application.acceptance_number)
    assert stored.status == "waiting_supplement"
    assert stored.open_supplement["hukou_book"].departments == ("mps", "mohrss")
    assert _task_of(stored, "mps").pauses[0].start == date(2025, 10, 9)
    assert len(uow.events("gov.onematter.task.supplement-requested")) == 2
    merged = uow.events("gov.onematter.application.supplement-requested")[-1]
    assert [i["material_type"] for i in merged.data["items"]] == ["hukou_book"]
