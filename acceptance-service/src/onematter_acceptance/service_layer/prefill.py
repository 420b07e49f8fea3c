"""减填 / 免提交: what the platform already knows for an applicant, before the form is filled.

* ``values`` — form fields of the matter already known from the applicant's earlier applications (the
  newest wins) and from licence numbers (``<licence_type>_number``), with ``sources`` saying which;
* ``materials`` — every material of the matter and whether it is already covered: by a valid electronic
  licence held (免证办: leave it out of the submission, the licence satisfies it) or by a material handed
  in for an earlier application that still exists (一套材料: name that ``material_id`` in the submission).

A window clerk asks for the applicant at the counter (``on_behalf_of``, 帮办代办), like when submitting.
"""

from __future__ import annotations

from typing import Any

from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal
from sqlalchemy import select

from onematter_acceptance.adapters.tables import Application
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.submission import applicant_for

__all__ = ["prefill"]


async def prefill(
    matter_code: str, caller: Principal, deps: Collaborators, *, on_behalf_of: str | None = None
) -> dict[str, Any]:
    applicant = applicant_for(caller, on_behalf_of)
    async with deps.uow() as uow:
        matter = await uow.current_matter(matter_code)
        if matter is None:
            raise NotFoundError(f"No key matter {matter_code}.")
        payload = matter.payload
        earlier = list(
            (
                await uow.session.execute(
                    select(Application.form, Application.materials)
                    .where(Application.applicant_id == applicant.subject)
                    .order_by(Application.accepted_at)
                )
            ).all()
        )
    fields = set(payload.get("form_schema", {}).get("properties", {}))
    values, sources = _known_values(fields, [form for form, _ in earlier])
    licences = await deps.materials.licences(applicant, today=deps.today())
    for licence in licences:
        name = f"{licence['licence_type']}_number"
        if name in fields:
            values[name], sources[name] = licence["number"], "licence"
    materials = await _coverage(payload, applicant, licences, [refs for _, refs in earlier], deps)
    return {
        "matter_code": matter_code,
        "applicant_id": applicant.subject,
        "values": values,
        "sources": sources,
        "materials": materials,
    }


def _known_values(fields: set[str], forms: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for form in forms:  # oldest first, so the newest application wins
        values.update({k: v for k, v in form.items() if k in fields})
        sources.update({k: "earlier_application" for k in form if k in fields})
    return values, sources


async def _coverage(
    matter: dict[str, Any],
    applicant: Principal,
    licences: list[dict[str, Any]],
    earlier_refs: list[dict[str, Any]],
    deps: Collaborators,
) -> list[dict[str, Any]]:
    """One entry per material of the matter, in the guide's order."""
    held = {lic["licence_type"]: lic for lic in licences}
    newest: dict[str, str] = {}
    for refs in earlier_refs:
        newest.update(
            {k: r["material_id"] for k, r in refs.items() if isinstance(r, dict) and r.get("material_id")}
        )
    wanted = [m["material_type"] for m in matter.get("materials", []) if m["material_type"] not in held]
    candidates = [(kind, newest[kind]) for kind in wanted if kind in newest]
    found = await deps.materials.materials(applicant, [i for _, i in candidates])
    still_there = {kind: i for kind, i in candidates if i in found}
    return [
        _entry(m, held.get(m["material_type"]), still_there.get(m["material_type"]))
        for m in matter.get("materials", [])
    ]


def _entry(
    material: dict[str, Any], licence: dict[str, Any] | None, material_id: str | None
) -> dict[str, Any]:
    covered_by = "licence" if licence else "earlier_material" if material_id else None
    return {
        "material_type": material["material_type"],
        "name_zh": material.get("name_zh"),
        "name_en": material.get("name_en"),
        "key": material.get("key", True),
        "deferrable": material.get("deferrable", False),
        "commitment_allowed": material.get("commitment_allowed", False),
        "covered_by": covered_by,
        "licence_id": licence["id"] if licence else None,
        "licence_number": licence["number"] if licence else None,
        "material_id": material_id if not licence else None,
    }
