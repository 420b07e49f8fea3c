"""What the applicant does after acceptance: answer a 补正 request, withdraw, review (好差评)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from acceptance_builders import material_client, officer
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.service_layer.applicant import (
    answer_supplement,
    review_application,
    withdraw_application,
)
from onematter_acceptance.service_layer.commands import (
    AnswerSupplement,
    DecideTask,
    RequestSupplement,
    ReviewApplication,
    WithdrawApplication,
)
from onematter_acceptance.service_layer.tasks import decide_task, request_supplement
from onematter_kit.errors import NotFoundError, ValidationProblem
from onematter_testkit import make_principal

ZHANGSAN = make_principal("zhangsan", "applicant")


def _task_of(application, department):
    return next(t for t in application.tasks if t.department == department)


async def _ask(uow, application, department: str, kind: str) -> None:
    task = _task_of(application, department)
    command = RequestSupplement(
        task_id=task.id, officer=officer(department), materials=[kind], reason="不清晰"
    )
    await request_supplement(command, uow, calendar=WorkCalendar())


async def _answer(uow, material_service, number: str, materials: dict[str, str], caller=ZHANGSAN):
    command = AnswerSupplement(number=number, caller=caller, materials=materials)
    client = material_client(material_service)
    return await answer_supplement(command, uow, materials=client, calendar=WorkCalendar())


async def _approve_all(uow, application) -> None:
    for task in application.tasks:
        command = DecideTask(task_id=task.id, officer=officer(task.department), outcome="approved")
        await decide_task(command, uow, calendar=WorkCalendar())


async def test_a_supplement_resumes_each_task_with_only_the_supplied_materials_it_needs(
    uow, submit, material_service
):
    application = await submit()
    uow.clock.set(datetime(2025, 10, 9, 2, tzinfo=UTC))
    await _ask(uow, application, "mps", "hukou_book")
    await _ask(uow, application, "ndcpa", "birth_medical_cert")
    uow.clock.set(datetime(2025, 10, 11, 2, tzinfo=UTC))  # the 调休 Saturday
    supplied = {k: material_service.upload("zhangsan", k) for k in ("hukou_book", "birth_medical_cert")}

    resumed = await _answer(uow, material_service, application.acceptance_number, supplied)

    stored = uow.stored(application.acceptance_number)
    assert stored.status == "in_progress" and stored.open_supplement == {}
    assert {r.department: r.material_ids for r in resumed} == {
        "mps": sorted(supplied.values()),  # its item needs both
        "ndcpa": [supplied["birth_medical_cert"]],
    }
    assert _task_of(stored, "mps").deadline == date(2025, 10, 11)  # paused 10-10 and 10-11
    [event] = uow.events("gov.onematter.application.supplement-received")
    assert sorted(event.data["resumed_task_ids"]) == sorted(r.task_id for r in resumed)


async def test_a_supplement_names_each_material_not_asked_for_or_not_the_applicants(
    uow, submit, material_service
):
    application = await submit()
    await _ask(uow, application, "mps", "hukou_book")
    someone_elses = material_service.upload("lisi", "hukou_book")

    with pytest.raises(ValidationProblem) as problem:
        await _answer(
            uow,
            material_service,
            application.acceptance_number,
            {"hukou_book": someone_elses, "photo": "m-x"},
        )

    assert {e["field"] for e in problem.value.extensions["errors"]} == {
        "materials.hukou_book",
        "materials.photo",
    }
    assert uow.stored(application.acceptance_number).status == "waiting_supplement"


async def test_a_deferred_material_is_handed_in_without_a_request(uow, submit, material_service):
    application = await submit(types=["id_card", "marriage_cert", "birth_medical_cert", "hukou_book"])
    photo = material_service.upload("zhangsan", "photo")

    resumed = await _answer(uow, material_service, application.acceptance_number, {"photo": photo})

    stored = uow.stored(application.acceptance_number)
    assert resumed == [] and stored.deferred_materials == []
    assert stored.materials["photo"].material_id == photo


async def test_a_supplement_for_a_completed_application_is_a_conflict(uow, submit, material_service):
    application = await submit()
    await _approve_all(uow, application)

    with pytest.raises(NotPossibleNow):
        await _answer(uow, material_service, application.acceptance_number, {"photo": "m"})


async def test_someone_elses_application_is_not_found(uow, submit, material_service):
    application = await submit()

    with pytest.raises(NotFoundError):
        await _answer(
            uow,
            material_service,
            application.acceptance_number,
            {"photo": "m"},
            make_principal("lisi", "applicant"),
        )


async def test_withdrawal_cancels_open_tasks_and_tells_their_departments(uow, submit):
    application = await submit()

    await withdraw_application(
        WithdrawApplication(number=application.acceptance_number, caller=ZHANGSAN), uow
    )

    stored = uow.stored(application.acceptance_number)
    assert stored.status == "withdrawn" and {t.status for t in stored.tasks} == {"cancelled"}
    cancelled = uow.events("gov.onematter.task.cancelled")
    assert sorted(e.data["department"] for e in cancelled) == ["mohrss", "mps", "ndcpa", "nhc", "nhsa"]
    [withdrawn] = uow.events("gov.onematter.application.withdrawn")
    assert len(withdrawn.data["cancelled_task_ids"]) == 5


async def test_a_bad_review_after_completion_opens_a_rectification_for_the_lead_department(uow, submit):
    application = await submit()
    review = ReviewApplication(
        number=application.acceptance_number, caller=ZHANGSAN, level=2, comment="跑了两次"
    )
    with pytest.raises(NotPossibleNow):
        await review_application(review, uow, calendar=WorkCalendar())
    await _approve_all(uow, application)

    saved, rectification = await review_application(review, uow, calendar=WorkCalendar())

    assert saved.label == "不满意" and rectification is not None
    assert uow.fake_rectifications.stored[rectification.id].department == "nhc"
    [event] = uow.events("gov.onematter.review.submitted")
    assert (event.data["bad"], event.data["rectification_id"]) == (True, rectification.id)
    with pytest.raises(NotPossibleNow):
        await review_application(review, uow, calendar=WorkCalendar())


async def test_only_the_applicant_reviews_not_the_clerk(uow, submit):
    application = await submit()
    await _approve_all(uow, application)
    clerk = ReviewApplication(
        number=application.acceptance_number, caller=make_principal("zhangsan", "clerk"), level=5
    )

    with pytest.raises(NotFoundError):
        await review_application(clerk, uow, calendar=WorkCalendar())
