"""减填 / 免提交: what the platform already knows for an applicant, before the form is filled.

* ``values`` — form fields of the matter already known from the applicant's earlier applications (the
  newest wins) and from licence numbers (``<licence_type>_number``), with ``sources`` saying which. From an
  earlier application only what belongs to the applicant is offered (:data:`APPLICANT_FIELDS`: name, ID,
  contact; an enterprise's registered name, credit code and legal representative), never that case's
  subject — a second newborn must not get the first baby's name, an employee form not the last employee;
* ``materials`` — every material of the matter and whether it is already covered: by a valid electronic
  licence held (免证办: leave it out of the submission, the licence satisfies it) or by a material handed
  in for an earlier application that still exists (一套材料: name that ``material_id`` in the submission).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from onematter_events.applications import MaterialReference
from onematter_events.matters import MatterPublished, MergedMaterial

from onematter_acceptance.domain.materials import HeldLicence

__all__ = ["APPLICANT_FIELDS", "Coverage", "Prefill", "coverage", "known_values", "reuse_candidates"]

Source = Literal["earlier_application", "licence"]

#: Form fields (the catalog's field library) that describe the applicant themself, by who applies
#: (``MatterPublished.subject``): the person's name, ID number and contacts (申请人信息), or the enterprise's
#: registered data (登记信息: name, unified social credit code, legal representative) and its contacts.
#: Everything else in an earlier form was about that case (a child, an employee, premises, a change, a
#: signed commitment — 告知承诺 is affirmed anew every time) and is not carried over.
APPLICANT_FIELDS: dict[str, frozenset[str]] = {
    "individual": frozenset({"applicant_name", "id_number", "contact_phone", "address", "email"}),
    "enterprise": frozenset(
        {"company_name", "credit_code", "legal_representative", "contact_phone", "email"}
    ),
}


@dataclass(frozen=True)
class Coverage:
    """One material of the matter and what already covers it (``None``: the applicant must hand it in)."""

    material: MergedMaterial
    covered_by: Literal["licence", "earlier_material"] | None
    licence: HeldLicence | None = None
    material_id: str | None = None


@dataclass(frozen=True)
class Prefill:
    matter_code: str
    applicant_id: str
    values: dict[str, Any]
    sources: dict[str, Source]
    materials: list[Coverage]


def known_values(
    matter: MatterPublished, forms: Sequence[Mapping[str, Any]], licences: Sequence[HeldLicence]
) -> tuple[dict[str, Any], dict[str, Source]]:
    """Known form values (``forms`` oldest first, so the newest wins; a licence's number wins over both).

    From ``forms`` only the applicant's own fields of this matter (:data:`APPLICANT_FIELDS`) are taken.
    """
    fields = set(matter.form_schema.get("properties", {}))
    own = fields & APPLICANT_FIELDS.get(matter.subject, frozenset())
    values: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    for form in forms:
        values |= {k: v for k, v in form.items() if k in own}
        sources |= {k: "earlier_application" for k in form if k in own}
    for licence in licences:
        name = f"{licence.licence_type}_number"
        if name in fields:
            values[name], sources[name] = licence.number, "licence"
    return values, sources


def reuse_candidates(
    matter: MatterPublished,
    earlier: Sequence[Mapping[str, MaterialReference]],
    held: Mapping[str, HeldLicence],
) -> dict[str, str]:
    """Material type → the newest earlier material id, for the matter's materials no licence covers."""
    newest: dict[str, str] = {}
    for refs in earlier:  # oldest first
        newest |= {k: r.material_id for k, r in refs.items() if r.material_id}
    return {
        m.material_type: newest[m.material_type]
        for m in matter.materials
        if m.material_type not in held and m.material_type in newest
    }


def coverage(
    matter: MatterPublished, held: Mapping[str, HeldLicence], still_there: Mapping[str, str]
) -> list[Coverage]:
    """One entry per material of the matter, in the guide's order.

    ``still_there``: material type → an earlier material id the material service still has.
    """
    entries = []
    for material in matter.materials:
        licence = held.get(material.material_type)
        material_id = still_there.get(material.material_type)
        if licence is not None:
            entries.append(Coverage(material, "licence", licence=licence))
        elif material_id is not None:
            entries.append(Coverage(material, "earlier_material", material_id=material_id))
        else:
            entries.append(Coverage(material, None))
    return entries
