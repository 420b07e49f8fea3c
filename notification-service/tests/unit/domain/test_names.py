"""Catalog names from ``matter.published``: one per kind and code, departments only when named."""

from __future__ import annotations

from onematter_notification.domain.names import CatalogNameRow, catalog_names


def test_a_published_matter_names_itself_its_items_their_departments_and_its_materials() -> None:
    data = {
        "matter_code": "newborn",
        "name_zh": "新生儿出生",
        "name_en": "Newborn",
        "items": [
            {
                "code": "birth-cert",
                "name_zh": "出生医学证明",
                "name_en": "Birth certificate",
                "department": "nhc",
                "department_name_zh": "卫生健康委",
            },
            {"code": "hukou", "name_zh": "户口登记", "name_en": "Hukou", "department": "mps"},
        ],
        "materials": [{"material_type": "id_card", "name_zh": "身份证", "name_en": "ID card"}],
    }
    rows = catalog_names(data)
    assert {(r.kind, r.code) for r in rows} == {
        ("matter", "newborn"),
        ("item", "birth-cert"),
        ("item", "hukou"),
        ("department", "nhc"),
        ("material", "id_card"),
    }
    assert CatalogNameRow(kind="department", code="nhc", name_zh="卫生健康委", name_en="卫生健康委") in rows


def test_a_code_named_twice_keeps_one_row_the_last() -> None:
    data = {
        "matter_code": "m",
        "name_zh": "甲",
        "name_en": "A",
        "items": [],
        "materials": [
            {"material_type": "id_card", "name_zh": "旧", "name_en": "old"},
            {"material_type": "id_card", "name_zh": "新", "name_en": "new"},
        ],
    }
    assert [r.name_en for r in catalog_names(data) if r.kind == "material"] == ["new"]


def test_a_licence_the_matter_issues_but_does_not_ask_for_is_named_after_its_item() -> None:
    data = {
        "matter_code": "newborn-birth",
        "name_zh": "新生儿出生一件事",
        "name_en": "Birth of a newborn",
        "items": [
            {
                "code": "ndcpa-vaccination-cert",
                "name_zh": "预防接种证办理",
                "name_en": "Vaccination certificate",
                "department": "ndcpa",
                "issues_licence": "vaccination_cert",
            },
            {
                "code": "mps-birth-registration",
                "name_zh": "出生登记（户口登记）",
                "name_en": "Household birth registration",
                "department": "mps",
                "issues_licence": "hukou_book",
            },
        ],
        "materials": [{"material_type": "hukou_book", "name_zh": "户口簿", "name_en": "Household register"}],
    }

    names = {(r.kind, r.code): r.name_zh for r in catalog_names(data)}

    assert names[("material", "vaccination_cert")] == "预防接种证办理"
    assert names[("material", "hukou_book")] == "户口簿"  # a material's own name wins
