"""一套材料 / 免证办 / 容缺受理 / 告知承诺: deciding how each material of a matter is satisfied.

Pure: the caller fetches what the material service knows (the applicant's materials and licences) and
passes it in; this module decides, and names each unsatisfied key material.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from onematter_events.applications import MaterialReference
from onematter_events.matters import MatterPublished, PublishedItem

__all__ = [
    "COMMITMENT_FIELD",
    "MaterialResolution",
    "commitment_field",
    "commitment_signed",
    "resolve_materials",
]


#: The catalog's one-form field by which the applicant signs the commitment (告知承诺) for the matter.
COMMITMENT_FIELD = "commitment_signed"


def commitment_field(material_type: str) -> str:
    """A per-material commitment field (``commitment_<type>``), for forms that sign each one separately."""
    return f"commitment_{material_type}"


def commitment_signed(form: Mapping[str, Any], material_type: str) -> bool:
    return form.get(COMMITMENT_FIELD) is True or form.get(commitment_field(material_type)) is True


@dataclass
class MaterialResolution:
    """How every material of a matter is satisfied, and the errors for those that are not."""

    refs: dict[str, MaterialReference] = field(default_factory=dict)
    deferred: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def for_item(self, item: PublishedItem) -> list[MaterialReference]:
        return [self.refs[m.material_type] for m in item.materials if m.material_type in self.refs]


def resolve_materials(
    *,
    matter: MatterPublished,
    provided: Mapping[str, str],
    owned: Mapping[str, str],
    licences: Mapping[str, str],
    form: Mapping[str, Any],
) -> MaterialResolution:
    """Decide each material of ``matter``.

    ``provided``: material_type → material id the applicant named; ``owned``: material id → its type, for
    the ids the material service confirmed belong to the applicant; ``licences``: licence_type → licence id
    of the applicant's valid licences. Order of preference: the uploaded material, a licence held (免证办),
    a signed commitment (告知承诺), deferral (容缺受理); a key material satisfied by none is an error.
    """
    result = MaterialResolution()
    known = {m.material_type for m in matter.materials}
    for material_type in provided:
        if material_type not in known:
            result.errors.append(
                {"field": f"materials.{material_type}", "message": "is not a material of this matter"}
            )
    for material in matter.materials:
        kind = material.material_type
        material_id = provided.get(kind)
        if material_id is not None:
            if owned.get(material_id) != kind:
                result.errors.append(
                    {
                        "field": f"materials.{kind}",
                        "message": f"material {material_id} is not one of your {kind} materials",
                    }
                )
            else:
                result.refs[kind] = MaterialReference(material_type=kind, material_id=material_id)
        elif kind in licences:
            result.refs[kind] = MaterialReference(material_type=kind, licence_id=licences[kind])
        elif material.commitment_allowed and commitment_signed(form, kind):
            result.refs[kind] = MaterialReference(material_type=kind, by_commitment=True)
        elif material.deferrable:
            result.refs[kind] = MaterialReference(material_type=kind, deferred=True)
            result.deferred.append(kind)
        elif material.key:
            result.errors.append(
                {
                    "field": f"materials.{kind}",
                    "message": f"key material {kind} ({material.name_zh}) is missing",
                }
            )
    return result
