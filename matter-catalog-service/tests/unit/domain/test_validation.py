"""Validating a key matter against the rest of the catalog: each problem named by its field."""

from __future__ import annotations

from onematter_catalog.domain.form_fields import FIELD_LIBRARY
from onematter_catalog.domain.model import (
    MaterialRequirement,
)
from onematter_catalog.domain.validation import validate_matter
from onematter_events.matters import ItemResult

from ..builders import DEPARTMENTS, MATERIAL_TYPES, a_matter, an_item, seed_matter


def test_a_matter_without_items_is_refused_with_a_clear_message() -> None:
    problems = validate_matter(
        a_matter(), departments=DEPARTMENTS, material_types=MATERIAL_TYPES, shared_items={}
    )

    assert problems == [{"field": "items", "message": "a key matter needs at least one service item"}]


def test_unknown_departments_and_material_types_are_named_by_field() -> None:
    item = an_item(department="nowhere", materials=[MaterialRequirement(material_type="unicorn_cert")])

    problems = validate_matter(
        a_matter(item, lead="nobody"), departments=DEPARTMENTS, material_types=MATERIAL_TYPES, shared_items={}
    )

    assert {p["field"] for p in problems} == {
        "lead_department",
        "items[0].department",
        "items[0].materials[0].material_type",
    }
    assert any("unicorn_cert" in p["message"] for p in problems)


def test_an_item_shared_with_another_matter_must_keep_its_field_definitions() -> None:
    published = seed_matter("newborn-birth").items[2]
    loose = FIELD_LIBRARY["id_number"].model_copy(update={"pattern": r"^\d+$"})
    fields = [loose if f.name == "id_number" else f for f in published.form_fields]
    redefined = published.model_copy(update={"form_fields": fields})

    problems = validate_matter(
        a_matter(redefined),
        departments=DEPARTMENTS,
        material_types=MATERIAL_TYPES,
        shared_items={published.code: ("newborn-birth", published)},
    )

    assert problems[0]["field"] == "items[0].form_fields"
    assert "newborn-birth" in problems[0]["message"] and "id_number" in problems[0]["message"]


def test_an_item_shared_with_another_matter_may_change_its_time_limit() -> None:
    published = seed_matter("newborn-birth").items[2]
    faster = published.model_copy(update={"committed_days": 1, "statutory_days": 5})

    assert (
        validate_matter(
            a_matter(faster),
            departments=DEPARTMENTS,
            material_types=MATERIAL_TYPES,
            shared_items={published.code: ("newborn-birth", published)},
        )
        == []
    )


def test_a_result_needs_a_known_licence_type_a_usable_pattern_and_a_subject_field_of_the_item() -> None:
    result = ItemResult(
        licence_type="unicorn_cert",
        number_source="department",
        number_pattern="([",
        subject_name_field="pet_name",
    )
    item = an_item(result=result)

    problems = validate_matter(
        a_matter(item), departments=DEPARTMENTS, material_types=MATERIAL_TYPES, shared_items={}
    )

    assert {p["field"] for p in problems} >= {
        "items[0].result.licence_type",
        "items[0].result.number_pattern",
        "items[0].result.subject_name_field",
    }


def test_an_older_draft_naming_only_its_licence_gets_a_generated_permanent_result() -> None:
    item = an_item(issues_licence="birth_medical_cert")

    assert item.result == ItemResult(licence_type="birth_medical_cert", number_prefix="BMC")
