"""The form-field library validates what it promises, and the seed derives sensible standard elements."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from onematter_catalog.domain.form_fields import FIELD_LIBRARY
from onematter_catalog.domain.views import build_version
from onematter_catalog.seed.loader import load_seed

SEED = load_seed()
MATERIAL_TYPES = {m.code: m for m in SEED.material_types}


def validator(schema: dict) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.mark.parametrize("name", sorted(FIELD_LIBRARY))
def test_every_library_field_has_titles_and_an_example_that_passes_its_schema(name: str) -> None:
    schema = FIELD_LIBRARY[name].to_schema()

    assert schema["title"] and schema["x-title-en"]
    for example in schema["examples"]:
        assert list(validator(schema).iter_errors(example)) == []


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("id_number", "11010519491231002"),  # 17 digits
        ("id_number", "11010519491331002X"),  # month 13
        ("credit_code", "91110000600037341I"),  # I is not used in credit codes
        ("contact_phone", "12800138000"),
        ("newborn_birth_date", "2024-02-30"),
        ("commitment_signed", "yes"),
    ],
)
def test_a_front_end_can_reject_malformed_values_with_the_schema(name: str, bad: object) -> None:
    assert list(validator(FIELD_LIBRARY[name].to_schema()).iter_errors(bad))


@pytest.mark.parametrize("matter", SEED.matters, ids=lambda m: m.code)
def test_every_seed_form_is_a_valid_schema_that_its_own_examples_satisfy(matter) -> None:  # type: ignore[no-untyped-def]
    version = build_version(matter, version=1, material_types=MATERIAL_TYPES, published_at=datetime.now(UTC))
    schema = version.form_schema
    filled = {name: prop["examples"][0] for name, prop in schema["properties"].items()}

    assert list(validator(schema).iter_errors(filled)) == []
    assert set(version.field_items) == set(schema["properties"])


def test_the_seed_has_thirteen_matters_five_of_them_for_individuals() -> None:
    assert len(SEED.matters) == 13
    assert sum(m.subject == "individual" for m in SEED.matters) == 5


def test_statutory_limits_are_never_shorter_than_the_committed_ones() -> None:
    items = [item for matter in SEED.matters for item in matter.items]

    assert all(item.statutory_days >= item.committed_days for item in items)
    assert all(item.fee.free and "online" in item.channels for item in items)


def test_the_photo_may_be_deferred_and_commitments_may_replace_their_material() -> None:
    requirements = {
        m.material_type: m for matter in SEED.matters for item in matter.items for m in item.materials
    }

    assert requirements["photo"].deferrable and not requirements["photo"].key
    assert requirements["fire_commitment"].commitment_allowed
    assert requirements["credit_commitment"].commitment_allowed
    assert not requirements["hukou_book"].deferrable and requirements["hukou_book"].form == "electronic"


def test_items_get_form_fields_by_subject_material_and_item() -> None:
    restaurant = next(m for m in SEED.matters if m.code == "open-restaurant")
    fields = {item.code: [f.name for f in item.form_fields] for item in restaurant.items}

    assert "credit_code" in fields["samr-food-licence"]  # enterprise subject
    assert "premises_address" in fields["samr-food-licence"]  # needs premises_proof
    assert "commitment_signed" in fields["fire-preopening-check"]  # a commitment may replace a material
    assert "id_number" not in fields["samr-food-licence"]
