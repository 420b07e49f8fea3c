"""减填 / 免提交: known form values and which materials are already covered."""

from acceptance_testing import newborn_matter
from onematter_acceptance.domain.materials import HeldLicence
from onematter_acceptance.domain.prefill import coverage, known_values, reuse_candidates
from onematter_events.applications import MaterialReference as Ref

HUKOU = HeldLicence(id="lic-1", licence_type="hukou_book", number="H-1")


def _with_fields(matter, subject, *names):
    schema = {"type": "object", "properties": {name: {"type": "string"} for name in names}}
    return matter.model_copy(update={"subject": subject, "form_schema": schema})


def test_the_newest_earlier_form_wins_and_only_the_matters_fields_are_known():
    matter = newborn_matter()
    forms = [{"contact_phone": "13800138000", "nickname": "x"}, {"contact_phone": "13900139000"}]

    values, sources = known_values(matter, forms, [])

    assert values == {"contact_phone": "13900139000"}
    assert sources == {"contact_phone": "earlier_application"}


def test_a_second_newborn_gets_the_parents_data_but_not_the_first_babys():
    # The catalog's newborn form (field library): the applicant's fields and the newborn's.
    matter = _with_fields(
        newborn_matter(),
        "individual",
        "applicant_name",
        "id_number",
        "contact_phone",
        "address",
        "newborn_name",
        "newborn_birth_date",
        "newborn_gender",
        "birth_hospital",
        "commitment_signed",
    )
    first_case = {
        "applicant_name": "李梅",
        "id_number": "11010519491231002X",
        "contact_phone": "13800138000",
        "address": "北京市东城区东长安街1号",
        "newborn_name": "张小宝",
        "newborn_birth_date": "2026-05-01",
        "newborn_gender": "female",
        "birth_hospital": "北京市海淀区妇幼保健院",
        "commitment_signed": True,
    }

    values, _ = known_values(matter, [first_case], [])

    assert values == {
        "applicant_name": "李梅",
        "id_number": "11010519491231002X",
        "contact_phone": "13800138000",
        "address": "北京市东城区东长安街1号",
    }


def test_an_enterprise_gets_its_registered_data_but_not_an_old_cases_premises_or_employee():
    matter = _with_fields(
        newborn_matter(),
        "enterprise",
        "company_name",
        "credit_code",
        "legal_representative",
        "contact_phone",
        "premises_address",
        "employee_name",
        "change_description",
    )
    old_case = {
        "company_name": "北京一件事餐饮有限公司",
        "credit_code": "91110000600037341L",
        "legal_representative": "李四",
        "contact_phone": "13800138000",
        "premises_address": "北京市朝阳区建国路88号",
        "employee_name": "王五",
        "change_description": "注册资本由100万元变更为200万元",
    }

    values, _ = known_values(matter, [old_case], [])

    assert set(values) == {"company_name", "credit_code", "legal_representative", "contact_phone"}


def test_an_earlier_material_is_offered_unless_a_licence_covers_its_type():
    matter = newborn_matter()
    earlier = [
        {"id_card": Ref(material_type="id_card", material_id="m-1")},
        {
            "id_card": Ref(material_type="id_card", material_id="m-2"),
            "hukou_book": Ref(material_type="hukou_book", material_id="m-3"),
        },
    ]

    candidates = reuse_candidates(matter, earlier, {"hukou_book": HUKOU})

    assert candidates == {"id_card": "m-2"}


def test_coverage_lists_every_material_in_the_guides_order():
    matter = newborn_matter()

    entries = coverage(matter, {"hukou_book": HUKOU}, {"id_card": "m-2"})

    assert [e.material.material_type for e in entries] == [m.material_type for m in matter.materials]
    by_type = {e.material.material_type: e for e in entries}
    assert (by_type["hukou_book"].covered_by, by_type["hukou_book"].licence) == ("licence", HUKOU)
    assert (by_type["id_card"].covered_by, by_type["id_card"].material_id) == ("earlier_material", "m-2")
    assert by_type["photo"].covered_by is None
