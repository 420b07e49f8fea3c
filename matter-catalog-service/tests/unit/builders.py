"""Builders of catalog values for the unit tests: the seed, and items and matters with random codes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from onematter_catalog.domain.form_fields import FIELD_LIBRARY
from onematter_catalog.domain.model import FieldSpec, ItemKind, ItemSpec, MaterialRequirement, MatterSpec
from onematter_catalog.seed.loader import load_seed
from onematter_testkit import random_code

#: When the versions built in these tests were published (a fixed instant: tests pin time).
PUBLISHED_AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
SEED = load_seed()
MATERIAL_TYPES = {m.code: m for m in SEED.material_types}
DEPARTMENTS = {d.code: d for d in SEED.departments}


def seed_matter(code: str) -> MatterSpec:
    return next(m for m in SEED.matters if m.code == code)


#: Every required implementation-list element, with made-up values (the tests' own, not a real item's).
COMPLETE_ELEMENTS: dict[str, Any] = {
    "legal_bases": [{"law": "《测试条例》", "article": "第一条"}],
    "implementing_body": "测试实施机关",
    "service_objects": ["natural_person"],
    "conditions": ["测试受理条件"],
    "process": [{"name_zh": "受理", "working_days": 0}, {"name_zh": "审查", "working_days": 1}],
    "fee": {"free": True, "basis": "测试：不收费的依据"},
    "place": "测试大厅",
    "hours": "工作日",
    "consultation": [{"channel": "phone", "value": "12345"}],
    "complaint": [{"channel": "phone", "value": "12345"}],
}


def an_item(
    *,
    code: str | None = None,
    department: str = "mps",
    days: int = 1,
    materials: list[MaterialRequirement] | None = None,
    fields: list[FieldSpec] | None = None,
    complete: bool = True,
    **extra: Any,
) -> ItemSpec:
    """An item with random code; ``complete``: with every required element (so it may be published)."""
    elements = COMPLETE_ELEMENTS if complete else {}
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
        **{**elements, **extra},
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
