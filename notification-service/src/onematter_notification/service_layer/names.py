"""The local copy of catalog names: kept from ``matter.published``, read when rendering messages.

The catalog publishes the whole matter version (its name, items and merged materials with names), so
this service never calls the catalog to render a message. The latest published version wins; a name
never published here renders as its code.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from onematter_kit.tables import utcnow
from sqlalchemy import select

from onematter_notification.adapters.sql import upsert_statement
from onematter_notification.adapters.tables import CatalogName
from onematter_notification.domain.templates import Names, Ref
from onematter_notification.service_layer.signals import NotificationUnitOfWork

__all__ = ["catalog_names", "load_names", "remember_names"]


def catalog_names(data: dict[str, Any]) -> list[dict[str, str]]:
    """The ``(kind, code, name_zh, name_en)`` rows a ``matter.published`` payload names; departments only
    when the payload carries their names (older payloads do not)."""
    rows = [
        {
            "kind": "matter",
            "code": data["matter_code"],
            "name_zh": data["name_zh"],
            "name_en": data["name_en"],
        }
    ]
    for item in data.get("items", []):
        rows.append(
            {"kind": "item", "code": item["code"], "name_zh": item["name_zh"], "name_en": item["name_en"]}
        )
        if item.get("department_name_zh"):
            rows.append(
                {
                    "kind": "department",
                    "code": item["department"],
                    "name_zh": item["department_name_zh"],
                    "name_en": item.get("department_name_en") or item["department_name_zh"],
                }
            )
    for material in data.get("materials", []):
        rows.append(
            {
                "kind": "material",
                "code": material["material_type"],
                "name_zh": material["name_zh"],
                "name_en": material["name_en"],
            }
        )
    return list({(r["kind"], r["code"]): r for r in rows}.values())  # one row per key for one statement


async def remember_names(uow: NotificationUnitOfWork, data: dict[str, Any]) -> None:
    """Upsert the names of a published matter; concurrent consumers of matters sharing a material
    (two replicas, two partitions) cannot collide on the key thanks to ``ON CONFLICT DO UPDATE``."""
    rows = [{**row, "updated_at": utcnow()} for row in catalog_names(data)]
    insert = upsert_statement(uow.session, CatalogName).values(rows)
    await uow.session.execute(
        insert.on_conflict_do_update(
            index_elements=["kind", "code"],
            set_={
                "name_zh": insert.excluded.name_zh,
                "name_en": insert.excluded.name_en,
                "updated_at": insert.excluded.updated_at,
            },
        )
    )


async def load_names(uow: NotificationUnitOfWork, refs: Collection[Ref]) -> Names:
    """The known names of ``refs`` (unknown ones are absent: they render as their code)."""
    if not refs:
        return {}
    wanted = {(r.kind, r.code) for r in refs}
    query = select(CatalogName).where(CatalogName.code.in_({r.code for r in refs}))  # type: ignore[attr-defined]
    return {
        (row.kind, row.code): {"zh-CN": row.name_zh, "en": row.name_en}
        for row in (await uow.session.execute(query)).scalars()
        if (row.kind, row.code) in wanted
    }
