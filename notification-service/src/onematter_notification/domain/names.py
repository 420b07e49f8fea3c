"""The catalog names a ``matter.published`` payload carries, so messages show names, not codes.

The catalog publishes the whole matter version (its name, items and merged materials with names); this
service keeps the latest of each, and a name never published here renders as its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CatalogNameRow", "catalog_names"]


@dataclass(frozen=True, kw_only=True)
class CatalogNameRow:
    """``kind`` is ``matter``, ``item``, ``material`` (also licence types) or ``department``."""

    kind: str
    code: str
    name_zh: str
    name_en: str


def catalog_names(data: dict[str, Any]) -> list[CatalogNameRow]:
    """One row per ``(kind, code)`` that a ``matter.published`` payload names; departments only when the
    payload carries their names (older payloads do not)."""
    # A licence an item issues (办理结果) is often no material of the matter, so the payload does not name
    # it: the issuing item's name stands in (better than the code in a message); a real material row
    # below wins.
    rows = [
        CatalogNameRow(kind="material", code=licence, name_zh=item["name_zh"], name_en=item["name_en"])
        for item in data.get("items", [])
        if (licence := item.get("issues_licence") or (item.get("result") or {}).get("licence_type"))
    ]
    rows.append(
        CatalogNameRow(
            kind="matter", code=data["matter_code"], name_zh=data["name_zh"], name_en=data["name_en"]
        )
    )
    for item in data.get("items", []):
        rows.append(
            CatalogNameRow(kind="item", code=item["code"], name_zh=item["name_zh"], name_en=item["name_en"])
        )
        if item.get("department_name_zh"):
            rows.append(
                CatalogNameRow(
                    kind="department",
                    code=item["department"],
                    name_zh=item["department_name_zh"],
                    name_en=item.get("department_name_en") or item["department_name_zh"],
                )
            )
    for material in data.get("materials", []):
        rows.append(
            CatalogNameRow(
                kind="material",
                code=material["material_type"],
                name_zh=material["name_zh"],
                name_en=material["name_en"],
            )
        )
    return list({(r.kind, r.code): r for r in rows}.values())  # the last of a key wins, as before
