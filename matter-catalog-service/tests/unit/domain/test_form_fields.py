"""The form-field library validates what it promises, and every seed form is a valid schema."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from onematter_catalog.domain.form_fields import FIELD_LIBRARY
from onematter_catalog.domain.views import build_version

from ..builders import MATERIAL_TYPES, PUBLISHED_AT, SEED


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
    version = build_version(matter, version=1, material_types=MATERIAL_TYPES, published_at=PUBLISHED_AT)
    schema = version.form_schema
    filled = {name: prop["examples"][0] for name, prop in schema["properties"].items()}

    assert list(validator(schema).iter_errors(filled)) == []
    assert set(version.field_items) == set(schema["properties"])
