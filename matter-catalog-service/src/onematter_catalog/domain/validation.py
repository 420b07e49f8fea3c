"""Checks a draft must pass before it is saved or published; each problem names the offending field.

The shapes (patterns, lengths, committed ≤ statutory days) are checked by the models themselves; these are
the checks that need the rest of the catalog: known departments and material types, one definition per
form field, and one definition per service item across matters (同一事项同标准).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from onematter_catalog.domain.model import ItemSpec, MatterSpec
from onematter_catalog.domain.situations import guidance_problems
from onematter_catalog.domain.views import merge_form

__all__ = ["SharedItem", "validate_matter"]

Problem = dict[str, str]
#: An item code already published in another matter: (that matter's code, the item's definition there).
SharedItem = tuple[str, ItemSpec]


def validate_matter(
    spec: MatterSpec,
    *,
    departments: Collection[str],
    material_types: Collection[str],
    shared_items: Mapping[str, SharedItem],
) -> list[Problem]:
    """Every problem of ``spec``; empty means it may be saved and published."""
    if not spec.items:
        return [{"field": "items", "message": "a key matter needs at least one service item"}]
    problems: list[Problem] = []
    if spec.lead_department not in departments:
        problems.append(
            {"field": "lead_department", "message": f"unknown department {spec.lead_department!r}"}
        )
    seen: set[str] = set()
    for index, item in enumerate(spec.items):
        where = f"items[{index}]"
        if item.code in seen:
            problems.append({"field": f"{where}.code", "message": f"item {item.code!r} appears twice"})
        seen.add(item.code)
        problems += _item_problems(item, where=where, departments=departments, material_types=material_types)
        if item.code in shared_items:
            problems += _shared_item_problems(item, shared_items[item.code], where=where)
    problems += [{"field": "items", "message": c.message()} for c in merge_form(spec.items).conflicts]
    return problems + _in_bundle_problems(spec) + guidance_problems(spec)


def _in_bundle_problems(spec: MatterSpec) -> list[Problem]:
    """Each result used inside the bundle: the item needs that material, the producing item comes earlier
    in the matter and its result is a licence of the material's type."""
    order = {item.code: index for index, item in enumerate(spec.items)}
    by_code = {item.code: item for item in spec.items}
    problems: list[Problem] = []
    for index, use in enumerate(spec.results_in_bundle):
        item, producer = by_code.get(use.item), by_code.get(use.from_item)
        if item is None or use.material_type not in {m.material_type for m in item.materials}:
            message = f"item {use.item!r} of this matter does not need {use.material_type!r}"
        elif producer is None or order[use.from_item] >= order[use.item]:
            message = f"{use.from_item!r} is not an item before {use.item!r} in this matter"
        elif producer.result is None or producer.result.licence_type != use.material_type:
            message = f"item {use.from_item!r} does not issue {use.material_type!r}"
        else:
            continue
        problems.append({"field": f"results_in_bundle[{index}]", "message": message})
    return problems


def _item_problems(
    item: ItemSpec, *, where: str, departments: Collection[str], material_types: Collection[str]
) -> list[Problem]:
    problems = []
    if item.department not in departments:
        problems.append(
            {"field": f"{where}.department", "message": f"unknown department {item.department!r}"}
        )
    for m_index, material in enumerate(item.materials):
        if material.material_type not in material_types:
            problems.append(
                {
                    "field": f"{where}.materials[{m_index}].material_type",
                    "message": f"unknown material type {material.material_type!r}",
                }
            )
    if item.result is not None:
        problems += _result_problems(item, where=f"{where}.result", material_types=material_types)
    names = [f.name for f in item.form_fields]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append({"field": f"{where}.form_fields", "message": f"form field {name!r} appears twice"})
    return problems


def _result_problems(item: ItemSpec, *, where: str, material_types: Collection[str]) -> list[Problem]:
    """办理结果: a known licence type, a usable number rule, subject fields the item's form has."""
    assert item.result is not None
    result, problems = item.result, []
    if result.licence_type not in material_types:
        problems.append(
            {"field": f"{where}.licence_type", "message": f"unknown material type {result.licence_type!r}"}
        )
    if result.number_source == "department":
        problems += _pattern_problems(result.number_pattern, where=f"{where}.number_pattern")
    elif not result.number_prefix:
        problems.append({"field": f"{where}.number_prefix", "message": "a generated number needs a prefix"})
    fields = {f.name for f in item.form_fields}
    for name in ("subject_name_field", "subject_id_field"):
        value = getattr(result, name)
        if value is not None and value not in fields:
            problems.append(
                {"field": f"{where}.{name}", "message": f"not a form field of the item: {value!r}"}
            )
    return problems


def _pattern_problems(pattern: str | None, *, where: str) -> list[Problem]:
    if not pattern:
        return [{"field": where, "message": "a department-supplied number needs a pattern"}]
    try:
        re.compile(pattern)
    except re.error as exc:
        return [{"field": where, "message": f"not a regular expression: {exc}"}]
    return []


def _shared_item_problems(item: ItemSpec, shared: SharedItem, *, where: str) -> list[Problem]:
    other_matter, other = shared
    if other == item:
        return []
    other_fields = {f.name: f.validation_schema() for f in other.form_fields}
    conflicting = sorted(
        f.name
        for f in item.form_fields
        if f.name in other_fields and other_fields[f.name] != f.validation_schema()
    )
    if conflicting:
        return [
            {
                "field": f"{where}.form_fields",
                "message": f"item {item.code!r} is also in matter {other_matter!r}, where the form fields "
                f"{', '.join(conflicting)} are defined differently",
            }
        ]
    if other.department != item.department:
        return [
            {
                "field": f"{where}.department",
                "message": f"item {item.code!r} belongs to department {other.department!r} in matter "
                f"{other_matter!r}; an item has one department — use a new item code",
            }
        ]
    return []
