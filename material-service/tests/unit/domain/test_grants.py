"""Need-to-know: which materials a task's department may read, from assignments and supplements."""

from __future__ import annotations

from datetime import UTC, date, datetime

from onematter_events.applications import (
    ApplicationSupplementReceived,
    MaterialReference,
    ResumedTask,
    TaskAssigned,
)
from onematter_kit.identity import Role
from onematter_material.domain.grants import grant_department, grants_for_assignment, grants_for_supplement
from onematter_testkit import make_principal


def _assigned(*refs: MaterialReference) -> TaskAssigned:
    return TaskAssigned(
        task_id="task-1",
        application_id="app-1",
        acceptance_number="YJS-20260310-000001",
        matter_code="newborn",
        item_code="birth-cert",
        item_name_zh="出生医学证明",
        department="nhc",
        applicant_id="person-1",
        deadline=date(2026, 4, 7),
        form={},
        materials=list(refs),
    )


def _supplement(materials: dict[str, str], *tasks: ResumedTask) -> ApplicationSupplementReceived:
    return ApplicationSupplementReceived(
        application_id="app-1",
        acceptance_number="YJS-20260310-000001",
        applicant_id="person-1",
        materials=materials,
        resumed_task_ids=[t.task_id for t in tasks],
        received_at=datetime(2026, 3, 12, 2, 0, tzinfo=UTC),
        resumed_tasks=list(tasks),
    )


def test_an_assignment_wants_the_uploaded_materials_it_references_not_licences_or_commitments() -> None:
    request = grants_for_assignment(
        _assigned(
            MaterialReference(material_type="id_card", material_id="m1"),
            MaterialReference(material_type="hukou_book", licence_id="lic-1"),
            MaterialReference(material_type="photo", by_commitment=True),
        )
    )
    assert (request.task_id, request.department, request.applicant_id) == ("task-1", "nhc", "person-1")
    assert request.wanted == {"m1"}


def test_only_the_applicants_own_materials_not_yet_granted_are_granted() -> None:
    request = grants_for_assignment(
        _assigned(
            *(MaterialReference(material_type="x", material_id=m) for m in ("m3", "m1", "m2", "theirs"))
        )
    )
    assert request.to_grant(owned={"m1", "m2", "m3"}, already={"m2"}) == ["m1", "m3"]
    assert request.foreign(owned={"m1", "m2", "m3"}) == 1


def test_a_resumed_task_may_read_only_the_supplied_materials_it_needs() -> None:
    [police, disease] = grants_for_supplement(
        _supplement(
            {"hukou_book": "book", "birth_medical_cert": "cert"},
            ResumedTask(task_id="t-police", department="mps", material_ids=["book", "cert", "not-supplied"]),
            ResumedTask(task_id="t-disease", department="ndcpa", material_ids=["cert"]),
        ),
        ended_tasks=set(),
    )
    assert (police.task_id, police.department, police.wanted) == ("t-police", "mps", {"book", "cert"})
    assert (disease.task_id, disease.wanted) == ("t-disease", {"cert"})


def test_a_task_that_already_ended_is_not_granted_by_a_late_supplement() -> None:
    requests = grants_for_supplement(
        _supplement(
            {"hukou_book": "book"}, ResumedTask(task_id="t1", department="mps", material_ids=["book"])
        ),
        ended_tasks={"t1"},
    )
    assert requests == []


def test_a_supplement_without_resumed_tasks_grants_nothing() -> None:
    assert grants_for_supplement(_supplement({"hukou_book": "book"}), ended_tasks=set()) == []


def test_only_an_officer_reads_through_a_departments_grants() -> None:
    assert grant_department(make_principal("o", Role.officer, department="nhc")) == "nhc"
    assert grant_department(make_principal("o", Role.officer)) is None
    assert grant_department(make_principal("p", Role.applicant, department="nhc")) is None
