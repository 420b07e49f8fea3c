"""The computed views of a key matter — never typed twice, always derived from its items.

* :func:`merge_materials` — 一套材料: each material type once, with the items that need it;
* :func:`merge_form` — 一表申请: one JSON Schema (draft 2020-12) and the mapping field → items;
* :func:`committed_total` — 限时办结: items run in parallel (并联办理), so the matter takes as long as its
  longest item, not the sum;
* :func:`build_version` — all of it as the ``MatterPublished`` payload that is stored and published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from onematter_events.matters import (
    DeferralTerm,
    DueTerm,
    ItemMaterial,
    MatterPublished,
    MergedMaterial,
    PublishedItem,
)

from onematter_catalog.domain.model import (
    Department,
    FieldSpec,
    ItemSpec,
    MaterialRequirement,
    MaterialType,
    MatterSpec,
)

__all__ = [
    "FieldConflict",
    "FormMerge",
    "build_version",
    "committed_total",
    "in_bundle_source",
    "merge_form",
    "merge_materials",
]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The implementation-list elements an item publishes as they are (issue 21).
_ELEMENTS = {
    "legal_bases",
    "implementing_body",
    "service_objects",
    "process",
    "special_procedures",
    "place",
    "hours",
    "consultation",
    "complaint",
    "faq",
    "demonstration",
}


def merge_materials(
    items: list[ItemSpec],
    material_types: Mapping[str, MaterialType],
    result_sources: Mapping[tuple[str, str], str] | None = None,
) -> list[MergedMaterial]:
    """Each material type once, in order of first need; key if any item needs it as key, deferrable (容缺)
    or replaceable by commitment (告知承诺) only if every item that needs it allows that.

    ``material_types`` must know every type the items name (validation checks that first);
    ``result_sources`` ((item, material) → earlier item whose result gives it) sets ``in_bundle_from``.
    """
    sources = result_sources or {}
    needs: dict[str, list[tuple[str, Any]]] = {}
    for item in items:
        for requirement in item.materials:
            needs.setdefault(requirement.material_type, []).append((item.code, requirement))
    merged = []
    for code, uses in needs.items():
        kind = material_types[code]
        requirements = [r for _, r in uses]
        merged.append(
            MergedMaterial(
                material_type=code,
                name_zh=kind.name_zh,
                name_en=kind.name_en,
                key=any(r.key for r in requirements),
                deferrable=all(r.deferrable for r in requirements),
                commitment_allowed=all(r.commitment_allowed for r in requirements),
                licence=kind.licence,
                items=list(dict.fromkeys(item for item, _ in uses)),
                in_bundle_from=in_bundle_source([sources.get((item, code)) for item, _ in uses]),
            )
        )
    return merged


def in_bundle_source(sources: list[str | None]) -> str | None:
    """The one item whose result gives every use of a material, or None (the applicant gives some)."""
    distinct = set(sources)
    return distinct.pop() if len(distinct) == 1 else None


@dataclass(frozen=True)
class FieldConflict:
    """Two items define the same form field differently; the form cannot ask it once."""

    field: str
    items: tuple[str, str]

    def message(self) -> str:
        return (
            f"form field {self.field!r} is defined differently by items {self.items[0]!r} and "
            f"{self.items[1]!r}; use one definition (type, format, pattern, enum, length)"
        )


@dataclass(frozen=True)
class FormMerge:
    schema: dict[str, Any]
    field_items: dict[str, list[str]]
    conflicts: list[FieldConflict] = field(default_factory=list)


def merge_form(
    items: list[ItemSpec], *, title_zh: str = "", title_en: str = "", schema_id: str | None = None
) -> FormMerge:
    """The one form: every field the items ask for, once; required if any item requires it.

    Two items may title a field differently (the first title wins) but must agree on what is valid;
    otherwise the merge reports a :class:`FieldConflict` and keeps the first definition.
    """
    first: dict[str, tuple[str, FieldSpec]] = {}
    field_items: dict[str, list[str]] = {}
    required: dict[str, bool] = {}
    conflicts: list[FieldConflict] = []
    for item in items:
        for spec in item.form_fields:
            if spec.name not in first:
                first[spec.name] = (item.code, spec)
            elif first[spec.name][1].validation_schema() != spec.validation_schema():
                conflicts.append(FieldConflict(spec.name, (first[spec.name][0], item.code)))
            field_items.setdefault(spec.name, [])
            if item.code not in field_items[spec.name]:
                field_items[spec.name].append(item.code)
            required[spec.name] = required.get(spec.name, False) or spec.required
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": title_zh,
        "x-title-en": title_en,
        "type": "object",
        "properties": {name: spec.to_schema() for name, (_, spec) in first.items()},
        "required": [name for name in first if required[name]],
        "additionalProperties": False,
    }
    if schema_id:
        schema["$id"] = schema_id
    return FormMerge(schema=schema, field_items=field_items, conflicts=conflicts)


def committed_total(items: list[ItemSpec]) -> int:
    """Committed working days of the whole matter: the longest item (they run in parallel)."""
    return max((item.committed_days for item in items), default=0)


def _material(requirement: MaterialRequirement, supplement_days: int, from_item: str | None) -> ItemMaterial:
    """The published material; a deferrable one always carries its term (the matter's by default)."""
    deferral = requirement.deferral
    if requirement.deferrable and deferral is None:
        deferral = DeferralTerm(working_days=supplement_days)
    return ItemMaterial(
        **requirement.model_dump(exclude={"deferral"}), deferral=deferral, from_item=from_item
    )


def _published_item(item: ItemSpec, department: Department | None, spec: MatterSpec) -> PublishedItem:
    """The published item, its due-date terms filled in from the matter's ``supplement_days`` where the
    item declares none, so acceptance never has to guess them; a material the matter takes from an earlier
    item's result says which (``from_item``)."""
    sources = spec.result_sources()
    return PublishedItem(
        department_name_zh=department.name_zh if department else "",
        department_name_en=department.name_en if department else "",
        code=item.code,
        name_zh=item.name_zh,
        name_en=item.name_en,
        department=item.department,
        kind=item.kind.value,
        committed_days=item.committed_days,
        statutory_days=item.statutory_days,
        materials=[
            _material(m, spec.supplement_days, sources.get((item.code, m.material_type)))
            for m in item.materials
        ],
        form_fields=[f.name for f in item.form_fields],
        issues_licence=item.result.licence_type if item.result else None,
        result=item.result,
        visits_required=item.visits_required,
        legal_basis=item.legal_basis,
        conditions=list(item.conditions),
        fee=item.fee,
        channels=list(item.channels),
        supplement_term=item.supplement_term or DueTerm(working_days=spec.supplement_days),
        **item.model_dump(include=_ELEMENTS),
    )


def build_version(
    spec: MatterSpec,
    *,
    version: int,
    material_types: Mapping[str, MaterialType],
    published_at: datetime,
    departments: Mapping[str, Department] | None = None,
) -> MatterPublished:
    """The immutable published version: the spec plus every computed view. The spec must be valid.

    ``departments`` (code → department) adds each item's department names to the payload.
    """
    departments = departments or {}
    form = merge_form(
        spec.items,
        title_zh=spec.name_zh,
        title_en=spec.name_en,
        schema_id=f"https://onematter.gov.cn/forms/{spec.code}/v{version}",
    )
    return MatterPublished(
        matter_code=spec.code,
        version=version,
        name_zh=spec.name_zh,
        name_en=spec.name_en,
        subject=spec.subject,
        stage=spec.stage,
        lead_department=spec.lead_department,
        items=[_published_item(item, departments.get(item.department), spec) for item in spec.items],
        materials=merge_materials(spec.items, material_types, spec.result_sources()),
        form_schema=form.schema,
        field_items=form.field_items,
        committed_days=committed_total(spec.items),
        supplement_days=spec.supplement_days,
        published_at=published_at,
        questions=list(spec.questions),
        rules=list(spec.rules),
    )
