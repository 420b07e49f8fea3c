"""Reads the first-batch YAML into catalog values, adding the standard elements the YAML does not carry.

The YAML (from the official list and local implementation plans) gives each item its department, committed
days, materials and the licence it issues (its 办理结果, numbered and valid as ``licence_rules`` says).
Everything else comes from the defaults tables below — one
place to read, and to change when a locality publishes its own implementation list:

* **kind** — from what the item's code says it does (``_KIND_BY_WORD``), else 公共服务;
* **statutory days** — the kind's usual legal limit (``_STATUTORY_DAYS``, e.g. 20 working days for a
  行政许可 under 行政许可法 art. 42), never less than the committed days;
* **materials** — key by default; ``_MATERIAL_DEFAULTS`` marks the secondary ones that may be deferred
  (容缺: photo, health certificate, signboard drawing) and those a signed commitment may replace
  (告知承诺: premises proof, fire-safety and credit-restoration commitments); licences (电子证照) are
  electronic, signed commitments originals, everything else a copy;
* **channels** online / window / kiosk, **visits** 0 except where ``_VISITS`` says the applicant must come
  in person, the subject's general **condition** (plus the item's own from the elements file);
* **implementation-list elements** — legal basis (law and article), implementing body, fee and its basis,
  process, special procedures, place, hours, channels, FAQ: from ``item-elements-2024-batch1.yaml``
  (:mod:`onematter_catalog.seed.elements`), which also says which values are demonstration values;
  materials' **source** (来源渠道): a licence type is issued by a government body, the rest the applicant's,
  unless the elements file says otherwise; paper materials count one copy (份数);
* **情形引导** — a matter's ``guide`` block: its questions and rules (``onematter_events.guidance``);
* **form fields** — by the rules of :mod:`onematter_catalog.domain.form_fields`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from onematter_events.elements import MaterialSource

from onematter_catalog.domain.form_fields import fields_for_item
from onematter_catalog.domain.model import (
    Department,
    ItemKind,
    ItemResult,
    ItemSpec,
    MaterialRequirement,
    MaterialType,
    MatterSpec,
)
from onematter_catalog.seed.elements import SeedElements, load_elements

__all__ = ["SEED_FILE", "CatalogSeed", "load_seed"]

SEED_FILE = Path(__file__).resolve().parent / "key-matters-2024-batch1.yaml"

_KIND_BY_WORD: list[tuple[str, ItemKind]] = [
    ("permit", ItemKind.licence),
    ("licence", ItemKind.licence),
    ("check", ItemKind.licence),
    ("excavation", ItemKind.licence),
    ("establishment", ItemKind.confirmation),
    ("registration", ItemKind.confirmation),
    ("cert", ItemKind.confirmation),
    ("change", ItemKind.confirmation),
    ("enrolment", ItemKind.confirmation),
    ("subsidy", ItemKind.payment),
    ("pension", ItemKind.payment),
    ("withdrawal", ItemKind.payment),
]
_STATUTORY_DAYS: dict[ItemKind, int] = {
    ItemKind.licence: 20,
    ItemKind.confirmation: 20,
    ItemKind.payment: 30,
    ItemKind.public_service: 15,
}
#: material type → (key, deferrable 容缺, commitment_allowed 告知承诺)
_MATERIAL_DEFAULTS: dict[str, tuple[bool, bool, bool]] = {
    "photo": (False, True, False),
    "health_cert": (False, True, False),
    "sign_design": (False, True, False),
    "premises_proof": (True, False, True),
    "fire_commitment": (True, False, True),
    "credit_commitment": (True, False, True),
}
_ORIGINALS = {"fire_commitment", "credit_commitment", "listing_authorization"}
_VISITS: dict[str, int] = {"cdpf-disability-cert": 1, "fire-preopening-check": 1}
_CONDITIONS = {
    "individual": "申请人为本人或其法定监护人，持有效身份证件",
    "enterprise": "申请人为依法登记的企业，由法定代表人或其委托的经办人办理",
}


@dataclass(frozen=True)
class CatalogSeed:
    departments: list[Department]
    material_types: list[MaterialType]
    matters: list[MatterSpec]


def _kind(item_code: str) -> ItemKind:
    words = item_code.split("-")
    return next((kind for word, kind in _KIND_BY_WORD if word in words), ItemKind.public_service)


def _material(code: str, licences: set[str], sources: dict[str, str]) -> MaterialRequirement:
    key, deferrable, commitment = _MATERIAL_DEFAULTS.get(code, (True, False, False))
    form = "electronic" if code in licences else "original" if code in _ORIGINALS else "copy"
    return MaterialRequirement(
        material_type=code,
        key=key,
        deferrable=deferrable,
        commitment_allowed=commitment,
        form=form,
        source=cast(MaterialSource, sources.get(code, "government" if code in licences else "applicant")),
        copies=None if form == "electronic" else 1,
    )


def _result(raw: dict[str, Any], rules: dict[str, Any]) -> ItemResult | None:
    """The item's 办理结果 from its ``issues`` and the ``licence_rules`` of that type (KeyError if none)."""
    licence_type = raw.get("issues")
    if licence_type is None:
        return None
    rule = rules[licence_type]
    return ItemResult(
        licence_type=licence_type,
        number_source=rule["number"],
        number_prefix=rule.get("prefix", ""),
        number_pattern=rule.get("pattern"),
        validity_years=rule.get("validity_years"),
        subject_name_field=raw.get("subject_name"),
    )


@dataclass(frozen=True)
class _Context:
    licences: set[str]
    rules: dict[str, Any]
    elements: SeedElements


def _item(raw: dict[str, Any], *, subject: str, context: _Context) -> ItemSpec:
    kind, code, elements = _kind(raw["code"]), raw["code"], context.elements
    sources = elements.sources(code)
    materials = [_material(m, context.licences, sources) for m in raw.get("materials", [])]
    return ItemSpec(
        code=raw["code"],
        name_zh=raw["zh"],
        name_en=raw["en"],
        department=raw["dept"],
        kind=kind,
        conditions=[_CONDITIONS[subject], *elements.conditions(code)],
        materials=materials,
        committed_days=raw["days"],
        statutory_days=max(raw["days"], _STATUTORY_DAYS[kind]),
        channels=["online", "window", "kiosk"],
        visits_required=_VISITS.get(raw["code"], 0),
        result=_result(raw, context.rules),
        form_fields=fields_for_item(
            subject=subject,
            item_code=raw["code"],
            material_types=raw.get("materials", []),
            commitment=any(m.commitment_allowed for m in materials),
        ),
        **elements.for_item(code, kind=kind, committed_days=raw["days"], subject=subject),
    )


def _matter(raw: dict[str, Any], context: _Context) -> MatterSpec:
    subject, guide = raw["subject"], raw.get("guide", {})
    return MatterSpec(
        code=raw["code"],
        name_zh=raw["zh"],
        name_en=raw["en"],
        subject=subject,
        stage=raw["stage"],
        lead_department=raw["lead"],
        items=[_item(item, subject=subject, context=context) for item in raw["items"]],
        questions=guide.get("questions", []),
        rules=guide.get("rules", []),
        results_in_bundle=[
            {"item": item["code"], "material_type": material, "from_item": producer}
            for item in raw["items"]
            for material, producer in item.get("from", {}).items()
        ],
    )


def load_seed(path: Path = SEED_FILE, *, elements: Path | None = None) -> CatalogSeed:
    """Parse and complete the seed; raises ``pydantic.ValidationError`` or ``KeyError`` on a broken file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    material_types = [
        MaterialType(code=m["code"], name_zh=m["zh"], name_en=m["en"], licence=m.get("licence", False))
        for m in raw["material_types"]
    ]
    context = _Context(
        licences={m.code for m in material_types if m.licence},
        rules=raw["licence_rules"],
        elements=load_elements(elements) if elements else load_elements(),
    )
    return CatalogSeed(
        departments=[
            Department(code=d["code"], name_zh=d["zh"], name_en=d["en"]) for d in raw["departments"]
        ],
        material_types=material_types,
        matters=[_matter(m, context) for m in raw["matters"]],
    )
