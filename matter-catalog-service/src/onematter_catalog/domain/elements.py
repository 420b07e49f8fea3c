"""Which implementation-list elements an item must have before its matter may be published.

A draft may be saved incomplete (an operator fills it in over days); publishing refuses it and names every
missing element by its path, so the operator sees the whole list at once (一次告知 for operators too).

Required, after the national implementation-list and service-guide elements (实施清单 / 办事指南):
设定依据 (law and article), 实施主体, 服务对象, 受理条件, 申请材料 with 来源渠道 and — for paper — 份数,
办理流程 (at least one step; the steps' own limits must fit within the statutory limit), 收费 with its basis
(also when free: "不收费" must say why), 办理地点, 办理时间, 咨询方式 and 监督投诉方式. 常见问题 and
特别程序 are optional: many items have none.
"""

from __future__ import annotations

from onematter_catalog.domain.model import ItemSpec, MaterialRequirement, MatterSpec

__all__ = ["missing_elements"]

Problem = dict[str, str]

#: element → (its name in the standard, what an empty value means).
_REQUIRED: dict[str, str] = {
    "legal_bases": "设定依据 (legal basis: law and article)",
    "implementing_body": "实施主体 (implementing body)",
    "service_objects": "服务对象 (who may apply)",
    "conditions": "受理条件 (conditions of acceptance)",
    "process": "办理流程 (process steps)",
    "place": "办理地点 (where it is handled)",
    "hours": "办理时间 (when it is handled)",
    "consultation": "咨询方式 (consultation channels)",
    "complaint": "监督投诉方式 (complaint channels)",
}


def missing_elements(spec: MatterSpec) -> list[Problem]:
    """Every required element missing from ``spec``'s items, as ``{"field": path, "message": …}``."""
    problems: list[Problem] = []
    for index, item in enumerate(spec.items):
        problems += _item_missing(item, where=f"items[{index}]")
    return problems


def _item_missing(item: ItemSpec, *, where: str) -> list[Problem]:
    problems = [
        {"field": f"{where}.{name}", "message": f"missing required element {label}"}
        for name, label in _REQUIRED.items()
        if not getattr(item, name)
    ]
    if not item.fee.basis:
        problems.append(
            {
                "field": f"{where}.fee.basis",
                "message": "missing required element 收费依据 (fee basis; a free item says why it is free)",
            }
        )
    if not item.fee.free and not (item.fee.amount_yuan or item.fee.standard):
        problems.append(
            {
                "field": f"{where}.fee.standard",
                "message": "a charged item needs 收费标准 (amount or standard)",
            }
        )
    step_days = sum(step.working_days or 0 for step in item.process)
    if step_days > item.statutory_days:
        problems.append(
            {
                "field": f"{where}.process",
                "message": f"the steps' limits add up to {step_days} working days, more than the statutory "
                f"{item.statutory_days} (特别程序 do not count and belong in special_procedures)",
            }
        )
    for m_index, material in enumerate(item.materials):
        problems += _material_missing(material, where=f"{where}.materials[{m_index}]")
    return problems


def _material_missing(material: MaterialRequirement, *, where: str) -> list[Problem]:
    problems = []
    if material.source is None:
        problems.append(
            {
                "field": f"{where}.source",
                "message": "missing required element 来源渠道 (source of the material)",
            }
        )
    if material.form != "electronic" and material.copies is None:
        problems.append(
            {
                "field": f"{where}.copies",
                "message": "missing required element 份数 (copies of a paper material)",
            }
        )
    return problems
