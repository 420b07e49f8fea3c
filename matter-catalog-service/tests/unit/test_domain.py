"""The computed views of a key matter, validation and the guide — pure functions, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from onematter_catalog.domain.form_fields import FIELD_LIBRARY
from onematter_catalog.domain.guide import build_guide, render_guide_html
from onematter_catalog.domain.model import (
    FieldSpec,
    ItemKind,
    ItemSpec,
    MaterialRequirement,
    MaterialType,
    MatterSpec,
)
from onematter_catalog.domain.validation import validate_matter
from onematter_catalog.domain.views import build_version, committed_total, merge_form, merge_materials
from onematter_catalog.seed.loader import load_seed
from onematter_testkit import random_code
from pydantic import ValidationError

SEED = load_seed()
MATERIAL_TYPES = {m.code: m for m in SEED.material_types}
DEPARTMENTS = {d.code: d for d in SEED.departments}


def seed_matter(code: str) -> MatterSpec:
    return next(m for m in SEED.matters if m.code == code)


def an_item(
    *,
    code: str | None = None,
    department: str = "mps",
    days: int = 1,
    materials: list[MaterialRequirement] | None = None,
    fields: list[FieldSpec] | None = None,
) -> ItemSpec:
    return ItemSpec(
        code=code or random_code("item"),
        name_zh="事项",
        name_en="Item",
        department=department,
        kind=ItemKind.confirmation,
        statutory_days=max(days, 20),
        committed_days=days,
        materials=materials or [],
        form_fields=fields if fields is not None else [FIELD_LIBRARY["id_number"]],
    )


def a_matter(*items: ItemSpec, lead: str = "mps") -> MatterSpec:
    return MatterSpec(
        code=random_code("m"),
        name_zh="一件事",
        name_en="A matter",
        subject="individual",
        stage="life",
        lead_department=lead,
        items=list(items),
    )


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
    redefined = published.model_copy(update={"form_fields": [loose]})

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


def test_committed_days_beyond_the_statutory_limit_are_refused() -> None:
    with pytest.raises(ValidationError, match="must not exceed statutory_days"):
        ItemSpec(
            code="slow-item",
            name_zh="事项",
            name_en="Item",
            department="mps",
            kind=ItemKind.licence,
            statutory_days=5,
            committed_days=6,
        )


def test_a_key_material_cannot_be_deferred() -> None:
    with pytest.raises(ValidationError, match="cannot be deferred"):
        MaterialRequirement(material_type="photo", key=True, deferrable=True)


def test_the_guide_shows_the_longest_item_as_the_committed_total_and_escapes_html() -> None:
    spec = seed_matter("newborn-birth").model_copy(update={"name_zh": "<script>新生儿</script>"})
    version = build_version(spec, version=1, material_types=MATERIAL_TYPES, published_at=datetime.now(UTC))

    guide = build_guide(version, DEPARTMENTS)
    html = render_guide_html(guide)

    assert (guide["committed_days"], guide["sequential_days"]) == (10, 14)
    assert guide["fees"]["free"] and guide["lead_department"]["name_zh"] == "卫生健康委"
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "居民户口簿" in html


def test_a_published_version_carries_items_materials_form_and_field_mapping() -> None:
    version = build_version(
        seed_matter("open-restaurant"),
        version=3,
        material_types=MATERIAL_TYPES,
        published_at=datetime.now(UTC),
    )

    assert version.version == 3 and version.committed_days == 10
    assert version.form_schema["$id"].endswith("/open-restaurant/v3")
    assert version.field_items["commitment_signed"] == [item.code for item in version.items]  # premises proof
    assert {m.material_type for m in version.materials if m.commitment_allowed} == {
        "fire_commitment",
        "premises_proof",
    }
