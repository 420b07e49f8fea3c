"""Task events on fakes: grants open and end, a supplement grants what it should, approvals issue licences."""

from __future__ import annotations

from datetime import UTC, date, datetime

from onematter_clock import FixedClock
from onematter_events import CloudEvent, new_event
from onematter_events.applications import (
    APPLICATION_SUPPLEMENT_RECEIVED,
    TASK_ASSIGNED,
    TASK_CANCELLED,
    TASK_COMPLETED,
    ApplicationSupplementReceived,
    MaterialReference,
    ResumedTask,
    TaskAssigned,
    TaskCancelled,
    TaskCompleted,
)
from onematter_events.materials import LICENCE_ISSUED
from onematter_kit.identity import Role
from onematter_material.domain.materials import NewMaterial
from onematter_material.entrypoints.schemas import LicencePublic
from onematter_material.service_layer.grants import (
    on_supplement_received,
    on_task_assigned,
    on_task_cancelled,
    on_task_completed,
)
from onematter_testkit import make_principal

from ..fakes import DEFAULT_NOW, FakeMaterialUnitOfWork, consume

OWNER = make_principal("person-1", Role.applicant)


async def _material(uow: FakeMaterialUnitOfWork, owner_id: str = "person-1") -> str:
    row = await uow.materials.add(
        NewMaterial(
            owner_id=owner_id,
            material_type="id_card",
            sha256="0" * 64,
            size=1,
            media_type="application/pdf",
            file_name="a.pdf",
            created_at=DEFAULT_NOW,
        )
    )
    return row.id


def _assigned(*material_ids: str, task_id: str = "task-1") -> CloudEvent:
    return new_event(
        TASK_ASSIGNED,
        TaskAssigned(
            task_id=task_id,
            application_id="app-1",
            acceptance_number="YJS-20260310-000001",
            matter_code="newborn",
            item_code="birth-cert",
            item_name_zh="出生医学证明",
            department="nhc",
            applicant_id="person-1",
            deadline=date(2026, 4, 7),
            form={},
            materials=[MaterialReference(material_type="id_card", material_id=m) for m in material_ids],
        ),
    )


def _completed(*, at: datetime = DEFAULT_NOW, outcome: str = "approved") -> CloudEvent:
    return new_event(
        TASK_COMPLETED,
        TaskCompleted.model_validate(
            {
                "task_id": "task-1",
                "application_id": "app-1",
                "acceptance_number": "YJS-20261201-000001",
                "item_code": "birth-cert",
                "department": "nhc",
                "applicant_id": "person-1",
                "outcome": outcome,
                "completed_at": at,
                "officer_id": "officer-1",
                "licence_type": "birth_medical_cert",
                "result": {"licence_type": "birth_medical_cert", "number_prefix": "CSYXZM"},
            }
        ),
    )


def _supplement(materials: dict[str, str], *tasks: ResumedTask) -> CloudEvent:
    return new_event(
        APPLICATION_SUPPLEMENT_RECEIVED,
        ApplicationSupplementReceived(
            application_id="app-1",
            acceptance_number="YJS-20260310-000001",
            applicant_id="person-1",
            materials=materials,
            resumed_task_ids=[t.task_id for t in tasks],
            received_at=DEFAULT_NOW,
            resumed_tasks=list(tasks),
        ),
    )


def _grants(uow: FakeMaterialUnitOfWork) -> set[tuple[str, str, str, bool]]:
    return {(g.task_id, g.department, g.material_id, g.active) for g in uow.grants.rows}


async def test_an_assignment_grants_the_department_the_applicants_referenced_materials_only() -> None:
    uow = FakeMaterialUnitOfWork()
    mine, theirs = await _material(uow), await _material(uow, "person-2")

    await consume(on_task_assigned, _assigned(mine, theirs), uow)
    await consume(on_task_assigned, _assigned(mine, theirs), uow)  # redelivered under a new id: still once

    assert _grants(uow) == {("task-1", "nhc", mine, True)}
    assert uow.grants.rows[0].granted_at == DEFAULT_NOW


async def test_a_supplement_grants_each_resumed_task_the_supplied_materials_it_needs() -> None:
    uow = FakeMaterialUnitOfWork()
    book, cert, photo = await _material(uow), await _material(uow), await _material(uow)
    event = _supplement(
        {"hukou_book": book, "birth_medical_cert": cert},
        ResumedTask(task_id="t-police", department="mps", material_ids=[book, cert, photo]),
        ResumedTask(task_id="t-disease", department="ndcpa", material_ids=[cert]),
    )

    await consume(on_supplement_received, event, uow)
    await consume(on_supplement_received, event, uow)

    assert _grants(uow) == {
        ("t-police", "mps", book, True),
        ("t-police", "mps", cert, True),
        ("t-disease", "ndcpa", cert, True),
    }


async def test_a_task_that_already_ended_is_not_granted_by_a_late_supplement() -> None:
    uow = FakeMaterialUnitOfWork()
    old, book = await _material(uow), await _material(uow)
    await consume(on_task_assigned, _assigned(old), uow)
    await consume(
        on_task_cancelled,
        new_event(
            TASK_CANCELLED,
            TaskCancelled(
                task_id="task-1",
                application_id="app-1",
                acceptance_number="YJS-20260310-000001",
                department="nhc",
                reason="撤回",
            ),
        ),
        uow,
    )

    await consume(
        on_supplement_received,
        _supplement(
            {"hukou_book": book}, ResumedTask(task_id="task-1", department="nhc", material_ids=[book])
        ),
        uow,
    )

    assert _grants(uow) == {("task-1", "nhc", old, False)}


async def test_an_approval_ends_the_grants_and_issues_the_licence_once() -> None:
    uow = FakeMaterialUnitOfWork()
    material = await _material(uow)
    await consume(on_task_assigned, _assigned(material), uow)

    await consume(on_task_completed, _completed(), uow)
    await consume(on_task_completed, _completed(), uow)  # the same approval re-sent under a new event id

    assert _grants(uow) == {("task-1", "nhc", material, False)}
    assert [lic.licence_type for lic in uow.licences.rows] == ["birth_medical_cert"]
    [issued] = uow.emitted
    assert issued.type == LICENCE_ISSUED and issued.data["holder_id"] == "person-1"


async def test_a_rejection_ends_the_grants_and_issues_no_licence() -> None:
    uow = FakeMaterialUnitOfWork()
    await consume(on_task_assigned, _assigned(await _material(uow)), uow)

    await consume(on_task_completed, _completed(outcome="rejected"), uow)

    assert all(not g.active for g in uow.grants.rows) and uow.licences.rows == []


async def test_a_licence_issued_at_2026_11_30T20_04_52Z_carries_the_china_date_and_answers_in_0800() -> None:
    instant = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)
    uow = FakeMaterialUnitOfWork(clock=FixedClock(instant))

    await consume(on_task_completed, _completed(at=instant), uow)

    [licence] = uow.licences.rows
    assert licence.valid_from == date(2026, 12, 1) and "-20261201-" in licence.number
    [issued] = uow.emitted
    assert issued.data["valid_from"] == "2026-12-01"
    answer = LicencePublic.model_validate(licence).model_dump(mode="json")
    assert answer["issued_at"] == "2026-12-01T04:04:52+08:00"
    assert answer["valid_from"] == "2026-12-01"


async def test_an_event_handler_leaves_the_commit_to_the_consumer() -> None:
    uow = FakeMaterialUnitOfWork()
    async with uow:
        await on_task_assigned(_assigned(await _material(uow)), uow)
    assert not uow.committed  # the consumer commits, together with the event's processed mark
