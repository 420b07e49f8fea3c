"""一套材料 / 免证办 / 容缺受理 / 告知承诺: deciding how each material of a matter is satisfied.

Pure: the caller fetches what the material service knows (the applicant's materials and licences) and
passes it in; this module decides, and names each unsatisfied key material.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from onematter_events.applications import MaterialReference
from onematter_events.matters import MatterPublished, MergedMaterial, PublishedItem

__all__ = [
    "COMMITMENT_FIELD",
    "HeldLicence",
    "MaterialResolution",
    "commitment_field",
    "commitment_signed",
    "ownership_errors",
    "resolve_materials",
]

FieldError = dict[str, str]

#: The catalog's one-form field by which the applicant signs the commitment (告知承诺) for the matter.
COMMITMENT_FIELD = "commitment_signed"


def commitment_field(material_type: str) -> str:
    """A per-material commitment field (``commitment_<type>``), for forms that sign each one separately."""
    return f"commitment_{material_type}"


def commitment_signed(form: Mapping[str, Any], material_type: str) -> bool:
    return form.get(COMMITMENT_FIELD) is True or form.get(commitment_field(material_type)) is True


@dataclass(frozen=True)
class HeldLicence:
    """An electronic licence (电子证照) the applicant holds and that is valid today."""

    id: str
    licence_type: str
    number: str | None = None
    verification_code: str | None = None


@dataclass
class MaterialResolution:
    """How every material of a matter is satisfied, and the errors for those that are not."""

    refs: dict[str, MaterialReference] = field(default_factory=dict)
    deferred: list[str] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)

    def for_item(self, item: PublishedItem) -> list[MaterialReference]:
        return [self.refs[m.material_type] for m in item.materials if m.material_type in self.refs]


def resolve_materials(
    *,
    matter: MatterPublished,
    provided: Mapping[str, str],
    owned: Mapping[str, str],
    licences: Mapping[str, HeldLicence],
    form: Mapping[str, Any],
) -> MaterialResolution:
    """Decide each material of ``matter``.

    ``provided``: material_type → material id the applicant named; ``owned``: material id → its type, for
    the ids the material service confirmed belong to the applicant; ``licences``: licence_type → the
    applicant's valid licence. Order of preference: the uploaded material, a licence held (免证办, with its
    number and verification code for the officer), a signed commitment (告知承诺), deferral (容缺受理); a
    key material satisfied by none is an error.
    """
    result = MaterialResolution()
    known = {m.material_type for m in matter.materials}
    result.errors += [
        {"field": f"materials.{kind}", "message": "is not a material of this matter"}
        for kind in provided
        if kind not in known
    ]
    for material in matter.materials:
        _resolve_one(result, material, provided=provided, owned=owned, licences=licences, form=form)
    return result


def _resolve_one(
    result: MaterialResolution,
    material: MergedMaterial,
    *,
    provided: Mapping[str, str],
    owned: Mapping[str, str],
    licences: Mapping[str, HeldLicence],
    form: Mapping[str, Any],
) -> None:
    kind = material.material_type
    material_id = provided.get(kind)
    if material_id is not None:
        if owned.get(material_id) == kind:
            result.refs[kind] = MaterialReference(material_type=kind, material_id=material_id)
        else:
            message = f"material {material_id} is not one of your {kind} materials"
            result.errors.append({"field": f"materials.{kind}", "message": message})
    elif kind in licences:
        held = licences[kind]
        result.refs[kind] = MaterialReference(
            material_type=kind,
            licence_id=held.id,
            licence_number=held.number,
            licence_verification_code=held.verification_code,
        )
    elif material.commitment_allowed and commitment_signed(form, kind):
        result.refs[kind] = MaterialReference(material_type=kind, by_commitment=True)
    elif material.deferrable:
        result.refs[kind] = MaterialReference(material_type=kind, deferred=True)
        result.deferred.append(kind)
    elif material.key:
        message = f"key material {kind} ({material.name_zh}) is missing"
        result.errors.append({"field": f"materials.{kind}", "message": message})


def ownership_errors(supplied: Mapping[str, str], owned: Mapping[str, str]) -> list[FieldError]:
    """Each supplied material (type → id) that is not one of the applicant's materials of that type."""
    return [
        {
            "field": f"materials.{kind}",
            "message": f"material {material_id} is not one of your {kind} materials",
        }
        for kind, material_id in supplied.items()
        if owned.get(material_id) != kind
    ]
