"""Pure rules of unified acceptance: the one form, the one set of materials, tasks, completion, 补正."""

from datetime import date

from acceptance_testing import newborn_form, newborn_matter
from onematter_acceptance.domain.applications import (
    TaskStatus,
    acceptance_number,
    completion,
    merge_supplement,
    plan_tasks,
    ready_to_resume,
)
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.forms import form_errors
from onematter_acceptance.domain.materials import resolve_materials
from onematter_acceptance.domain.reviews import is_bad, level_label


def _resolve(matter, provided, *, owned=None, licences=None, form=None):
    owned = owned if owned is not None else {v: k for k, v in provided.items()}
    return resolve_materials(
        matter=matter, provided=provided, owned=owned, licences=licences or {}, form=form or {}
    )


ALL = {"id_card": "m1", "marriage_cert": "m2", "birth_medical_cert": "m3", "hukou_book": "m4", "photo": "m5"}


def test_every_form_error_names_its_field():
    matter = newborn_matter()
    form = newborn_form(child_birth_date="2026-02-30", contact_phone="123") | {"nickname": "x"}
    del form["mother_name"]

    fields = {e["field"] for e in form_errors(matter.form_schema, form)}

    assert fields == {"form.child_birth_date", "form.contact_phone", "form.mother_name", "form.nickname"}


def test_a_valid_form_has_no_errors():
    assert form_errors(newborn_matter().form_schema, newborn_form()) == []


def test_a_missing_key_material_is_named():
    provided = {k: v for k, v in ALL.items() if k != "marriage_cert"}

    result = _resolve(newborn_matter(), provided)

    assert result.errors == [
        {"field": "materials.marriage_cert", "message": "key material marriage_cert (结婚证) is missing"}
    ]


def test_a_material_of_someone_else_is_refused():
    result = _resolve(newborn_matter(), ALL, owned={v: k for k, v in ALL.items() if k != "photo"})

    assert [e["field"] for e in result.errors] == ["materials.photo"]


def test_a_licence_already_held_satisfies_a_material_without_upload():
    provided = {k: v for k, v in ALL.items() if k != "id_card"}

    result = _resolve(newborn_matter(), provided, licences={"id_card": "lic-1"})

    assert result.errors == []
    assert result.refs["id_card"].licence_id == "lic-1"


def test_a_deferrable_material_is_accepted_missing_under_rongque():
    provided = {k: v for k, v in ALL.items() if k != "photo"}

    result = _resolve(newborn_matter(deferrable=frozenset({"photo"})), provided)

    assert result.errors == [] and result.deferred == ["photo"]
    assert result.refs["photo"].deferred


def test_a_signed_commitment_replaces_a_material_and_the_task_must_verify_afterwards():
    matter = newborn_matter(commitment=frozenset({"photo"}))
    provided = {k: v for k, v in ALL.items() if k != "photo"}
    form = newborn_form(commitment_photo=True)

    result = _resolve(matter, provided, form=form)
    plans = plan_tasks(
        matter=matter, form=form, resolution=result, calendar=WorkCalendar(), accepted_on=date(2025, 9, 30)
    )

    assert result.refs["photo"].by_commitment
    assert [p.item_code for p in plans if p.verify_after_commitment] == ["mohrss-card-application"]


def test_an_unsigned_commitment_does_not_replace_the_material():
    matter = newborn_matter(commitment=frozenset({"photo"}))
    provided = {k: v for k, v in ALL.items() if k != "photo"}

    result = _resolve(matter, provided, form=newborn_form(commitment_photo=False))

    assert [e["field"] for e in result.errors] == ["materials.photo"]


def test_each_task_gets_only_its_own_fields_and_materials():
    matter = newborn_matter()
    plans = plan_tasks(
        matter=matter,
        form=newborn_form(),
        resolution=_resolve(matter, ALL),
        calendar=WorkCalendar(),
        accepted_on=date(2025, 9, 30),
    )
    nhsa = next(p for p in plans if p.department == "nhsa")

    assert len(plans) == 5
    assert set(nhsa.form) == {"child_name", "household_address", "contact_phone"}
    assert [m.material_type for m in nhsa.materials] == ["hukou_book"]
    assert nhsa.deadline.due == date(2025, 10, 9)


def test_acceptance_numbers_are_readable_and_zero_padded():
    assert acceptance_number(date(2026, 11, 28), 123) == "YJS-20261128-000123"


def _task(status, reason=None, n=1):
    return {"id": f"t{n}", "status": status, "item_code": f"i{n}", "department": f"d{n}", "reason": reason}


def test_the_application_completes_only_when_every_task_ended():
    assert completion([_task(TaskStatus.approved), _task(TaskStatus.in_progress, n=2)]) is None
    assert completion([_task(TaskStatus.approved), _task(TaskStatus.approved, n=2)]).status == "completed"


def test_a_rejected_task_completes_with_rejections_and_their_reasons():
    done = completion([_task(TaskStatus.approved), _task(TaskStatus.rejected, "信息不符", n=2)])

    assert done.status == "completed_with_rejections"
    assert done.rejections == [{"task_id": "t2", "item_code": "i2", "department": "d2", "reason": "信息不符"}]


def test_supplement_requests_of_several_departments_ask_each_material_once():
    merged = merge_supplement({}, materials=["photo"], reason="照片模糊", department="mohrss", task_id="t1")
    merged = merge_supplement(
        merged, materials=["photo", "hukou_book"], reason="需原件", department="mps", task_id="t2"
    )

    assert set(merged) == {"photo", "hukou_book"}
    assert merged["photo"]["departments"] == ["mohrss", "mps"]
    assert ready_to_resume(["hukou_book"], {"photo"}) and not ready_to_resume(["photo"], {"photo"})


def test_the_two_lowest_review_levels_are_bad():
    assert [is_bad(n) for n in range(1, 6)] == [True, True, False, False, False]
    assert level_label(5) == "非常满意" and level_label(1) == "非常不满意"


def test_the_catalogs_commitment_signed_field_signs_the_commitment():
    matter = newborn_matter(commitment=frozenset({"photo"}))
    provided = {k: v for k, v in ALL.items() if k != "photo"}

    result = _resolve(matter, provided, form={"commitment_signed": True})

    assert result.errors == [] and result.refs["photo"].by_commitment
