"""Knowledge-base entries (知识库) built from the catalog's published one-time guides (一次告知).

An entry is a title and a searchable body: the matter's items with their conditions, materials,
departments and committed time limits — what an operator reads out to answer on the first call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["KnowledgeEntry", "catalog_entry_id", "guide_text"]


@dataclass(frozen=True, slots=True)
class KnowledgeEntry:
    """``matter:<code>`` from the catalog (``source="catalog"``), or ``note:<uuid>`` by an operator."""

    id: str
    source: str
    title: str
    body: str


def catalog_entry_id(matter_code: str) -> str:
    return f"matter:{matter_code}"


def guide_text(matter: Mapping[str, Any]) -> tuple[str, str]:
    """``(title, body)`` of a ``MatterPublished`` payload (as a mapping of plain values)."""
    materials = "、".join(m["name_zh"] for m in matter.get("materials", []))
    lines = [f"{matter['name_zh']}（{matter['name_en']}）：承诺{matter['committed_days']}个工作日办结。"]
    lines.extend(_item_line(item) for item in matter.get("items", []))
    if materials:
        lines.append(f"所需材料：{materials}。")
    return str(matter["name_zh"]), "\n".join(lines)


def _item_line(item: Mapping[str, Any]) -> str:
    conditions: Sequence[str] = item.get("conditions", [])
    department = item.get("department_name_zh") or item["department"]
    text = f"{item['name_zh']}（{department}，承诺{item['committed_days']}个工作日）"
    return text + (f"：条件 {'；'.join(conditions)}" if conditions else "") + "。"
