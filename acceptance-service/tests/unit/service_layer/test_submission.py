"""Submitting, with fakes of acceptance's repositories and the material service behind a MockTransport."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from acceptance_builders import material_client
from acceptance_fakes import FakeAcceptanceUnitOfWork
from acceptance_testing import FakeMaterialService, newborn_form, newborn_matter
from delegation_fakes import delegation_in_force
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer.commands import SubmitApplication
from onematter_acceptance.service_layer.submission import body_hash, submit_application
from onematter_clock import FixedClock
from onematter_events.delegations import DELEGATION_USED
from onematter_kit.errors import ConflictError, ForbiddenError, ValidationProblem
from onematter_testkit import make_principal

DEPARTMENTS = ["nhc", "ndcpa", "mps", "nhsa", "mohrss"]


@pytest.fixture
def material_service() -> FakeMaterialService:
    return FakeMaterialService()


@pytest.fixture
async def uow() -> FakeAcceptanceUnitOfWork:
    uow = FakeAcceptanceUnitOfWork(FixedClock(datetime(2025, 9, 30, 4, tzinfo=UTC)))
    await uow.fake_matters.save(newborn_matter(deferrable=frozenset({"photo"})), received_at=uow.clock.now())
    return uow


def _command(
    applicant: str, materials: dict[str, str], *, key: str = "k-1", **overrides
) -> SubmitApplication:
    values = {"matter_code": "newborn-birth", "form": newborn_form(), "materials": materials, **overrides}
    return SubmitApplication(caller=make_principal(applicant, "applicant"), idempotency_key=key, **values)


async def _submit(command, uow, material_service):
    return await submit_application(
        command, uow, materials=material_client(material_service), calendar=WorkCalendar()
    )


async def test_a_submission_is_accepted_numbered_and_dispatched_to_every_department(uow, material_service):
    command = _command("zhangsan", material_service.upload_all("zhangsan"))

    submitted = await _submit(command, uow, material_service)

    assert submitted.created and submitted.acceptance_number == "YJS-20250930-000001"
    application = uow.stored(submitted.acceptance_number)
    assert sorted(t.department for t in application.tasks) == sorted(DEPARTMENTS)
    assert uow.committed and len(uow.events("gov.onematter.application.accepted")) == 1
    assigned = uow.events("gov.onematter.task.assigned")
    assert sorted(e.data["department"] for e in assigned) == sorted(DEPARTMENTS)
    assert [e.kind for e in uow.timeline.stored] == ["accepted"]


async def test_the_same_key_and_body_again_answers_the_same_application_without_a_second(
    uow, material_service
):
    command = _command("zhangsan", material_service.upload_all("zhangsan"))
    first = await _submit(command, uow, material_service)
    material_service.calls.clear()

    again = await _submit(command, uow, material_service)

    assert (again.acceptance_number, again.created) == (first.acceptance_number, False)
    assert len(uow.fake_applications.stored) == 1 and uow.commits == 1
    assert material_service.calls == []  # a replay is answered without asking the material service


async def test_the_same_key_with_another_body_is_a_conflict(uow, material_service):
    materials = material_service.upload_all("zhangsan")
    await _submit(_command("zhangsan", materials), uow, material_service)

    with pytest.raises(ConflictError):
        await _submit(_command("zhangsan", materials, channel="kiosk"), uow, material_service)


async def test_a_twin_that_took_the_key_meanwhile_is_answered_with_its_application(uow, material_service):
    command = _command("zhangsan", material_service.upload_all("zhangsan"))
    winner = await _submit(_command("zhangsan", command.materials, key="other"), uow, material_service)
    twin = uow.fake_idempotency.keys.pop(("zhangsan", "other"))
    uow.fake_idempotency.taken_meanwhile[("zhangsan", "k-1")] = (body_hash(command.body()), twin[1])

    answer = await _submit(command, uow, material_service)

    assert (answer.acceptance_number, answer.created) == (winner.acceptance_number, False)
    assert len(uow.fake_applications.stored) == 1


async def test_every_form_and_material_problem_is_named_in_one_422_and_nothing_is_stored(
    uow, material_service
):
    materials = material_service.upload_all("zhangsan", ["id_card", "birth_medical_cert", "hukou_book"])
    command = _command("zhangsan", materials, form={"child_name": ""})

    with pytest.raises(ValidationProblem) as problem:
        await _submit(command, uow, material_service)

    fields = {e["field"] for e in problem.value.extensions["errors"]}
    assert {"materials.marriage_cert", "form.child_name", "form.mother_name"} <= fields
    assert "materials.photo" not in fields  # deferrable: accepted missing (容缺)
    assert uow.fake_applications.stored == {} and not uow.committed


async def test_an_unknown_matter_is_a_422_on_matter_code(uow, material_service):
    with pytest.raises(ValidationProblem) as problem:
        await _submit(_command("zhangsan", {}, matter_code="no-such"), uow, material_service)

    assert problem.value.extensions["errors"][0]["field"] == "matter_code"


def _by_clerk(materials: dict[str, str], *, key: str = "k") -> SubmitApplication:
    return SubmitApplication(
        caller=make_principal("clerk01", "clerk"),
        idempotency_key=key,
        matter_code="newborn-birth",
        form=newborn_form(),
        materials=materials,
        channel="window",
        on_behalf_of="lisi",
    )


async def test_a_clerk_without_a_delegation_is_refused_and_nothing_is_stored(uow, material_service):
    materials = material_service.upload_all("lisi")
    delegation_in_force(uow, applicant="lisi", delegate="clerk01", actions=("read",))  # read only

    with pytest.raises(ForbiddenError):
        await _submit(_by_clerk(materials), uow, material_service)
    with pytest.raises(ForbiddenError):
        await _submit(_command("zhangsan", materials, on_behalf_of="lisi"), uow, material_service)

    assert uow.fake_applications.stored == {} and uow.emitted == []


async def test_a_clerk_under_a_delegation_submits_for_the_applicant_and_the_use_is_told(
    uow, material_service
):
    materials = material_service.upload_all("lisi")
    delegation = delegation_in_force(uow, applicant="lisi", delegate="clerk01")

    submitted = await _submit(_by_clerk(materials), uow, material_service)

    application = uow.stored(submitted.acceptance_number)
    assert (application.applicant_id, application.submitted_by) == ("lisi", "clerk01")
    [told] = uow.events(DELEGATION_USED)
    assert told.data["delegation_id"] == delegation.id and told.data["what"] == "submit"
    assert told.data["acceptance_number"] == submitted.acceptance_number
    assert set(told.data["material_ids"]) == set(materials.values())


async def test_a_revoked_delegation_no_longer_lets_the_clerk_submit(uow, material_service):
    materials = material_service.upload_all("lisi")
    delegation = delegation_in_force(uow, applicant="lisi", delegate="clerk01")
    delegation.revoke(now=uow.clock.now())

    with pytest.raises(ForbiddenError):
        await _submit(_by_clerk(materials), uow, material_service)


async def test_a_licence_held_replaces_the_upload_and_counts_as_a_material_avoided(uow, material_service):
    licence = material_service.grant_licence("zhangsan", "id_card")
    materials = material_service.upload_all(
        "zhangsan", ["marriage_cert", "birth_medical_cert", "hukou_book", "photo"]
    )

    submitted = await _submit(_command("zhangsan", materials), uow, material_service)

    application = uow.stored(submitted.acceptance_number)
    assert application.materials["id_card"].licence_id == licence
    assert application.materials_avoided == 1


async def test_at_2004_utc_on_30_november_the_application_is_numbered_and_clocked_on_1_december(
    material_service,
):
    """Issue 15's example, on the date in China: YJS-20261201-…, start 12-01, 20 working days end 12-29."""
    uow = FakeAcceptanceUnitOfWork(FixedClock(datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)))
    twenty_days = newborn_matter(code="twenty-days", committed_days={"nhc": 20})
    await uow.fake_matters.save(twenty_days, received_at=uow.clock.now())

    submitted = await _submit(
        _command("zhangsan", material_service.upload_all("zhangsan"), matter_code="twenty-days"),
        uow,
        material_service,
    )

    application = uow.stored(submitted.acceptance_number)
    assert submitted.acceptance_number == "YJS-20261201-000001"
    nhc = next(t for t in application.tasks if t.department == "nhc")
    assert (nhc.started_on, nhc.deadline) == (date(2026, 12, 1), date(2026, 12, 29))
    assert application.accepted_at == datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)
