"""The locker's rules: material type codes, whose locker an upload goes to, deletion, the access log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from onematter_kit.errors import ConflictError, ForbiddenError, ValidationProblem
from onematter_kit.identity import Role
from onematter_material.domain.materials import (
    AccessAction,
    access_entry,
    check_deletable,
    check_material_type,
    locker_owner,
)
from onematter_testkit import make_principal

AT = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class _Material:
    id: str = "m1"
    owner_id: str = "person-1"
    material_type: str = "id_card"


def test_material_types_are_lowercase_codes() -> None:
    check_material_type("birth_medical_cert")
    for bad in ("", "x", "ID_CARD", "1card", "id-card", "a" * 65):
        with pytest.raises(ValidationProblem):
            check_material_type(bad)


def test_an_applicant_uploads_into_its_own_locker_only() -> None:
    applicant = make_principal("person-1", Role.applicant)
    assert locker_owner(applicant, None) is applicant
    assert locker_owner(applicant, "person-1") is applicant
    with pytest.raises(ForbiddenError):
        locker_owner(applicant, "person-2")


def test_a_clerk_uploads_into_the_locker_of_the_applicant_it_names() -> None:
    clerk = make_principal("clerk-1", Role.clerk)
    owner = locker_owner(clerk, "person-2")
    assert owner.subject == "person-2" and owner.roles == frozenset({Role.applicant})
    for missing in (None, "", "p" * 129):
        with pytest.raises(ValidationProblem):
            locker_owner(clerk, missing)


def test_a_material_used_by_an_open_task_cannot_be_deleted() -> None:
    check_deletable(None)
    with pytest.raises(ConflictError) as refused:
        check_deletable("task-7")
    assert refused.value.extensions == {"task_id": "task-7"}


def test_the_owners_own_reads_are_not_logged() -> None:
    owner = make_principal("person-1", Role.applicant)
    assert (
        access_entry(material=_Material(), reader=owner, task_id=None, action=AccessAction.content, at=AT)
        is None
    )


def test_an_officers_read_is_logged_with_its_department_and_task() -> None:
    officer = make_principal("officer-1", Role.officer, department="nhc").model_copy(
        update={"name": "王警官"}
    )
    entry = access_entry(
        material=_Material(), reader=officer, task_id="task-7", action=AccessAction.metadata, at=AT
    )
    assert entry is not None
    assert (entry.owner_id, entry.material_id, entry.material_type) == ("person-1", "m1", "id_card")
    assert (entry.reader_id, entry.reader_name, entry.department) == ("officer-1", "王警官", "nhc")
    assert (entry.task_id, entry.action, entry.read_at) == ("task-7", "metadata", AT)
