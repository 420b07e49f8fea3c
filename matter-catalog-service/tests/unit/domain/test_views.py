"""Merging a key matter's items into one set of materials, one form and one time limit (views)."""

from __future__ import annotations

from onematter_catalog.domain.form_fields import FIELD_LIBRARY
from onematter_catalog.domain.model import (
    MaterialRequirement,
    MaterialType,
)
from onematter_catalog.domain.views import build_version, committed_total, merge_form, merge_materials

from ..builders import MATERIAL_TYPES, PUBLISHED_AT, an_item, seed_matter


def test_newborn_birth_lists_the_household_register_once_for_the_three_items_that_need_it() -> None:
    merged = merge_materials(seed_matter("newborn-birth").items, MATERIAL_TYPES)

    hukou = [m for m in merged if m.material_type == "hukou_book"]
    assert len(hukou) == 1
    assert hukou[0].items == ["mps-birth-registration", "nhsa-resident-enrolment", "mohrss-card-application"]
    assert hukou[0].licence and hukou[0].key


def test_newborn_birth_form_asks_the_id_number_once_for_every_item() -> None:
    matter = seed_matter("newborn-birth")
    form = merge_form(matter.items)

    assert list(form.schema["properties"]).count("id_number") == 1
    assert "id_number" in form.schema["required"]
    assert form.field_items["id_number"] == [item.code for item in matter.items]
    assert form.conflicts == []


def test_committed_total_is_the_longest_item_not_the_sum() -> None:
    matter = seed_matter("newborn-birth")

    assert committed_total(matter.items) == 10
    assert sum(item.committed_days for item in matter.items) == 14


def test_a_material_is_key_if_any_item_needs_it_as_key_and_deferrable_only_if_every_item_allows_it() -> None:
    types = {"photo": MaterialType(code="photo", name_zh="照片", name_en="Photo")}
    deferred = MaterialRequirement(material_type="photo", key=False, deferrable=True)
    strict = MaterialRequirement(material_type="photo", key=True)

    merged = merge_materials([an_item(materials=[deferred]), an_item(materials=[strict])], types)

    assert merged[0].key and not merged[0].deferrable


def test_two_items_defining_one_field_differently_is_a_conflict_naming_both() -> None:
    loose = FIELD_LIBRARY["id_number"].model_copy(update={"pattern": r"^\d+$"})
    first, second = an_item(code="first-item"), an_item(code="second-item", fields=[loose])

    conflicts = merge_form([first, second]).conflicts

    assert [(c.field, c.items) for c in conflicts] == [("id_number", ("first-item", "second-item"))]


def test_differently_titled_but_equally_valid_fields_are_not_a_conflict() -> None:
    retitled = FIELD_LIBRARY["id_number"].model_copy(update={"title_en": "ID card number"})

    assert merge_form([an_item(), an_item(fields=[retitled])]).conflicts == []


def test_a_field_is_required_when_any_item_requires_it() -> None:
    optional = FIELD_LIBRARY["id_number"].model_copy(update={"required": False})

    assert merge_form([an_item(fields=[optional]), an_item()]).schema["required"] == ["id_number"]
    assert merge_form([an_item(fields=[optional])]).schema["required"] == []


def test_a_published_version_carries_items_materials_form_and_field_mapping() -> None:
    version = build_version(
        seed_matter("open-restaurant"),
        version=3,
        material_types=MATERIAL_TYPES,
        published_at=PUBLISHED_AT,
    )

    assert version.version == 3 and version.committed_days == 10
    assert version.form_schema["$id"].endswith("/open-restaurant/v3")
    assert version.field_items["commitment_signed"] == [item.code for item in version.items]  # premises proof
    assert {m.material_type for m in version.materials if m.commitment_allowed} == {
        "fire_commitment",
        "premises_proof",
    }
