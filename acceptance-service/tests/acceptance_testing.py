"""Builders for the acceptance tests: a realistic 新生儿出生一件事 as the catalog publishes it, and an
in-memory material service reached through ``httpx.MockTransport`` (STYLE rule 10: no patching)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from onematter_events import CloudEvent, new_event
from onematter_events.matters import (
    MATTER_PUBLISHED,
    ItemMaterial,
    ItemResult,
    MatterPublished,
    MergedMaterial,
    PublishedItem,
)
from onematter_kit.errors import UnauthorizedError
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenVerifier
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET
from onematter_testkit import random_id

#: 办理结果 of the newborn items that declare one, as in the seed's ``licence_rules`` (the subject field
#: named as in this builder's form; the vaccination certificate's item keeps ``issues_licence`` only, as an
#: older payload would).
NEWBORN_RESULTS = {
    "nhc-birth-medical-cert": ItemResult(
        licence_type="birth_medical_cert", number_prefix="CSYXZM", subject_name_field="child_name"
    ),
    "mps-birth-registration": ItemResult(
        licence_type="hukou_book", number_prefix="HKB", subject_name_field="child_name"
    ),
    "mohrss-card-application": ItemResult(
        licence_type="social_security_card",
        number_prefix="SBK",
        validity_years=10,
        subject_name_field="child_name",
    ),
}
NEWBORN_ITEMS = [  # as in matter-catalog-service/src/onematter_catalog/seed/key-matters-2024-batch1.yaml
    ("nhc-birth-medical-cert", "出生医学证明", "nhc", 1, ["id_card", "marriage_cert"], "birth_medical_cert"),
    ("ndcpa-vaccination-cert", "预防接种证办理", "ndcpa", 1, ["birth_medical_cert"], "vaccination_cert"),
    (
        "mps-birth-registration",
        "出生登记（户口登记）",
        "mps",
        1,
        ["birth_medical_cert", "hukou_book", "id_card", "marriage_cert"],
        "hukou_book",
    ),
    ("nhsa-resident-enrolment", "城乡居民医保参保登记", "nhsa", 1, ["hukou_book"], None),
    (
        "mohrss-card-application",
        "社会保障卡申领",
        "mohrss",
        10,
        ["hukou_book", "photo"],
        "social_security_card",
    ),
]
DEPARTMENT_NAMES = {
    "nhc": "国家卫生健康委员会",
    "ndcpa": "国家疾病预防控制局",
    "mps": "公安部",
    "nhsa": "国家医疗保障局",
    "mohrss": "人力资源社会保障部",
}
MATERIAL_NAMES = {
    "id_card": "居民身份证",
    "marriage_cert": "结婚证",
    "birth_medical_cert": "出生医学证明",
    "hukou_book": "居民户口簿",
    "photo": "近期免冠照片",
}
FIELD_ITEMS = {
    "child_name": [
        "nhc-birth-medical-cert",
        "ndcpa-vaccination-cert",
        "mps-birth-registration",
        "nhsa-resident-enrolment",
        "mohrss-card-application",
    ],
    "child_birth_date": ["nhc-birth-medical-cert", "ndcpa-vaccination-cert", "mps-birth-registration"],
    "child_gender": ["nhc-birth-medical-cert", "mps-birth-registration"],
    "birth_hospital": ["nhc-birth-medical-cert"],
    "mother_name": ["nhc-birth-medical-cert", "mps-birth-registration"],
    "mother_id_number": ["nhc-birth-medical-cert", "mps-birth-registration"],
    "father_name": ["nhc-birth-medical-cert", "mps-birth-registration"],
    "household_address": ["mps-birth-registration", "nhsa-resident-enrolment"],
    "contact_phone": ["nhsa-resident-enrolment", "mohrss-card-application"],
    "bank_account": ["mohrss-card-application"],
    "commitment_photo": ["mohrss-card-application"],
}


def newborn_form_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": [
            "child_name",
            "child_birth_date",
            "child_gender",
            "mother_name",
            "mother_id_number",
            "household_address",
            "contact_phone",
        ],
        "properties": {
            "child_name": {"type": "string", "minLength": 1, "title": "新生儿姓名"},
            "child_birth_date": {"type": "string", "format": "date", "title": "出生日期"},
            "child_gender": {"enum": ["male", "female"], "title": "性别"},
            "birth_hospital": {"type": "string"},
            "mother_name": {"type": "string", "minLength": 1},
            "mother_id_number": {"type": "string", "pattern": "^[0-9]{17}[0-9X]$"},
            "father_name": {"type": "string"},
            "household_address": {"type": "string", "minLength": 1},
            "contact_phone": {"type": "string", "pattern": "^1[0-9]{10}$"},
            "bank_account": {"type": "string"},
            "commitment_photo": {"type": "boolean", "title": "承诺书：照片后补"},
        },
        "additionalProperties": False,
    }


def newborn_matter(
    *,
    version: int = 1,
    deferrable: frozenset[str] = frozenset(),
    commitment: frozenset[str] = frozenset(),
    code: str = "newborn-birth",
    committed_days: dict[str, int] | None = None,
) -> MatterPublished:
    """新生儿出生一件事 with its 5 items (nhc, ndcpa, mps, nhsa, mohrss), as the catalog publishes it.

    ``committed_days`` overrides an item's working days by department (e.g. ``{"nhc": 20}``).
    """
    items = _newborn_items(deferrable, commitment, committed_days or {})
    return MatterPublished(
        matter_code=code,
        version=version,
        name_zh="新生儿出生一件事",
        name_en="Birth of a newborn",
        subject="individual",
        stage="birth",
        lead_department="nhc",
        items=items,
        materials=_merged_materials(items, deferrable, commitment),
        form_schema=newborn_form_schema(),
        field_items=FIELD_ITEMS,
        committed_days=10,
        supplement_days=5,
        published_at=datetime.now(UTC),
    )


def _merged_materials(
    items: list[PublishedItem], deferrable: frozenset[str], commitment: frozenset[str]
) -> list[MergedMaterial]:
    return [
        MergedMaterial(
            material_type=m,
            name_zh=zh,
            name_en=m,
            key=True,
            deferrable=m in deferrable,
            commitment_allowed=m in commitment,
            licence=m != "photo",
            items=[i.code for i in items if any(x.material_type == m for x in i.materials)],
        )
        for m, zh in MATERIAL_NAMES.items()
    ]


def _newborn_items(
    deferrable: frozenset[str], commitment: frozenset[str], days_of: dict[str, int]
) -> list[PublishedItem]:
    return [
        PublishedItem(
            code=c,
            name_zh=zh,
            name_en=c,
            department=d,
            department_name_zh=DEPARTMENT_NAMES[d],
            kind="public_service",
            committed_days=days_of.get(d, days),
            statutory_days=days_of.get(d, days) * 2,
            form_fields=[f for f, its in FIELD_ITEMS.items() if c in its],
            issues_licence=issues,
            result=NEWBORN_RESULTS.get(c),
            materials=[
                ItemMaterial(material_type=m, deferrable=m in deferrable, commitment_allowed=m in commitment)
                for m in mats
            ],
        )
        for c, zh, d, days, mats, issues in NEWBORN_ITEMS
    ]


def published_event(matter: MatterPublished) -> CloudEvent:
    return new_event(MATTER_PUBLISHED, matter, subject=matter.matter_code)


def newborn_form(**overrides: Any) -> dict[str, Any]:
    form = {
        "child_name": "张小宝",
        "child_birth_date": "2026-11-20",
        "child_gender": "male",
        "birth_hospital": "市妇幼保健院",
        "mother_name": "李梅",
        "mother_id_number": "11010519900101002X",
        "father_name": "张三",
        "household_address": "北京市西城区某街1号",
        "contact_phone": "13800000000",
    }
    return {**form, **overrides}


@dataclass
class FakeMaterialService:
    """The material service's contract (GET /api/v1/materials?ids=, GET /api/v1/licences), in memory.

    It checks the internal token like the real one: audience ``material``, subject = the owner.
    """

    materials: dict[str, dict[str, Any]] = field(default_factory=dict)
    licences: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def upload(self, owner: str, material_type: str) -> str:
        material_id = random_id("mat")
        self.materials[material_id] = {
            "owner": owner,
            "id": material_id,
            "material_type": material_type,
            "sha256": "0" * 64,
            "size": 10,
            "media_type": "application/pdf",
            "created_at": datetime.now(UTC).isoformat(),
        }
        return material_id

    def upload_all(self, owner: str, types: list[str] | None = None) -> dict[str, str]:
        return {t: self.upload(owner, t) for t in (types or list(MATERIAL_NAMES))}

    def grant_licence(self, owner: str, licence_type: str) -> str:
        licence_id = random_id("lic")
        self.licences.setdefault(owner, []).append(
            {
                "id": licence_id,
                "licence_type": licence_type,
                "number": random_id("NO"),
                "holder_id": owner,
                "issuing_department": "mps",
                "valid_from": "2020-01-01",
                "valid_until": None,
                "verification_code": "x",
                "status": "valid",
            }
        )
        return licence_id

    def transport(self) -> httpx.MockTransport:
        verifier = InternalTokenVerifier(DEVELOPMENT_INTERNAL_SECRET, audience="material")

        def handle(request: httpx.Request) -> httpx.Response:
            try:
                owner = verifier.verify(request.headers.get(INTERNAL_HEADER)).subject
            except UnauthorizedError as refused:  # as the real service answers (tests/contract)
                problem = {"status": 401, "title": "Unauthorized", "detail": str(refused)}
                return httpx.Response(401, json=problem)
            self.calls.append(request.url.path)
            if request.url.path == "/api/v1/licences":
                items = self.licences.get(owner, [])
                return httpx.Response(
                    200, json={"items": items, "total": len(items), "limit": 100, "offset": 0}
                )
            if request.url.path == "/api/v1/materials" and "ids" in request.url.params:
                wanted = request.url.params["ids"].split(",")
                items = [
                    {k: v for k, v in m.items() if k != "owner"}
                    for i, m in self.materials.items()
                    if i in wanted and m["owner"] == owner
                ]
                body = {"items": items, "total": len(items), "limit": 100, "offset": 0}
                return httpx.Response(200, content=json.dumps(body))
            return httpx.Response(404, json={"title": "Not found"})

        return httpx.MockTransport(handle)


def submission(materials: dict[str, str], **overrides: Any) -> dict[str, Any]:
    """A submission body for 新生儿出生一件事 with a valid form."""
    return {
        "matter_code": "newborn-birth",
        "form": newborn_form(),
        "materials": materials,
        "channel": "online",
        **overrides,
    }
