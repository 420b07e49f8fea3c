"""一窗受理: the acceptance number, one task per item with its own fields, materials and clock."""

from datetime import UTC, date, datetime

from acceptance_builders import ALL_MATERIALS, accepted_newborn
from acceptance_testing import newborn_form, newborn_matter
from onematter_acceptance.domain.acceptance import acceptance_number, plan_tasks
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.materials import resolve_materials

NOON_30_SEPTEMBER_2025 = datetime(2025, 9, 30, 4, tzinfo=UTC)  # 12:00 in Beijing


def test_acceptance_numbers_are_readable_and_zero_padded():
    assert acceptance_number(date(2026, 11, 28), 123) == "YJS-20261128-000123"


def test_each_task_gets_only_its_own_fields_and_materials_and_its_own_deadline():
    matter = newborn_matter()
    resolution = resolve_materials(
        matter=matter,
        provided=ALL_MATERIALS,
        owned={v: k for k, v in ALL_MATERIALS.items()},
        licences={},
        form=newborn_form(),
    )

    tasks = plan_tasks(
        application_id="a-1",
        matter=matter,
        form=newborn_form(),
        resolution=resolution,
        calendar=WorkCalendar(),
        accepted_on=date(2025, 9, 30),
    )
    nhsa = next(t for t in tasks if t.department == "nhsa")

    assert len(tasks) == 5 and {t.application_id for t in tasks} == {"a-1"}
    assert set(nhsa.form) == {"child_name", "household_address", "contact_phone"}
    assert [m.material_type for m in nhsa.materials] == ["hukou_book"]
    assert nhsa.deadline == date(2025, 10, 9)  # one working day across National Day


def test_a_signed_commitment_makes_the_task_verify_afterwards():
    matter = newborn_matter(commitment=frozenset({"photo"}))
    provided = {k: v for k, v in ALL_MATERIALS.items() if k != "photo"}
    form = newborn_form(commitment_photo=True)
    resolution = resolve_materials(
        matter=matter, provided=provided, owned={v: k for k, v in provided.items()}, licences={}, form=form
    )

    tasks = plan_tasks(
        application_id="a-1",
        matter=matter,
        form=form,
        resolution=resolution,
        calendar=WorkCalendar(),
        accepted_on=date(2025, 9, 30),
    )

    assert [t.item_code for t in tasks if t.verify_after_commitment] == ["mohrss-card-application"]


def test_the_application_is_due_with_its_latest_task_and_records_its_acceptance():
    application = accepted_newborn(now=NOON_30_SEPTEMBER_2025, sequence=7)

    assert application.acceptance_number == "YJS-20250930-000007"
    # mohrss, 10 working days from 09-30: 10-09, 10, 11 (调休 Sat), 13, 14, 15, 16, 17, 20, 21
    assert application.deadline == date(2025, 10, 21)
    assert [e.kind for e in application.new_entries] == ["accepted"]
    assert application.new_entries[0].detail["acceptance_number"] == "YJS-20250930-000007"


def test_a_submission_at_night_in_utc_is_numbered_and_clocked_on_the_date_in_china():
    application = accepted_newborn(now=datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC))

    assert application.acceptance_number.startswith("YJS-20261201-")
    assert {t.started_on for t in application.tasks} == {date(2026, 12, 1)}
    assert application.accepted_on == date(2026, 12, 1)


def test_deferred_materials_are_due_within_the_matters_supplement_days():
    provided = {k: v for k, v in ALL_MATERIALS.items() if k != "photo"}

    application = accepted_newborn(
        now=NOON_30_SEPTEMBER_2025, materials=provided, matter=newborn_matter(deferrable=frozenset({"photo"}))
    )

    assert application.deferred_materials == ["photo"]
    # 5 working days from 09-30: 10-09, 10-10, the adjusted Saturday 10-11, 10-13, 10-14
    assert application.supplement_due == date(2025, 10, 14)
