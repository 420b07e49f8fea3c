"""一表申请: the one form validated against the pinned matter version's schema."""

from acceptance_testing import newborn_form, newborn_matter
from onematter_acceptance.domain.forms import fields_for_item, form_errors


def test_every_form_error_names_its_field():
    matter = newborn_matter()
    form = newborn_form(child_birth_date="2026-02-30", contact_phone="123") | {"nickname": "x"}
    del form["mother_name"]

    fields = {e["field"] for e in form_errors(matter.form_schema, form)}

    assert fields == {"form.child_birth_date", "form.contact_phone", "form.mother_name", "form.nickname"}


def test_a_valid_form_has_no_errors():
    assert form_errors(newborn_matter().form_schema, newborn_form()) == []


def test_a_department_gets_only_the_fields_mapped_to_its_item():
    matter = newborn_matter()

    fields = fields_for_item(newborn_form(), matter.field_items, "nhsa-resident-enrolment")

    assert set(fields) == {"child_name", "household_address", "contact_phone"}
