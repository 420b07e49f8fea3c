"""Data the security matrix attacks: one real application of zhangsan's (newborn birth, 新生儿出生一件事)
with uploaded materials, a resident ID number and a phone number in its form.

Built once per session through the gateway, like a citizen would, and shared by the tests (they only
try to read or change it as someone else, and check it did not change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from onematter_testkit.applicant import (
    form_from_schema,
    mobile_number,
    resident_id_number,
    submit_application,
    upload_material,
)

MATTER = "newborn-birth"


@dataclass
class Victim:
    """zhangsan's application as the attacker would like to reach it."""

    number: str
    detail: dict[str, Any]
    materials: dict[str, str]
    id_number: str
    phone: str
    tokens: list[str] = field(default_factory=list)

    def task_of(self, department: str) -> dict[str, Any]:
        return next(t for t in self.detail["tasks"] if t["department"] == department)


async def newborn_form(client: httpx.AsyncClient, *, id_number: str, phone: str) -> dict[str, Any]:
    schema = (await client.get(f"/api/v1/matters/{MATTER}")).json()["form_schema"]
    return {**form_from_schema(schema), "id_number": id_number, "contact_phone": phone}


_VICTIM: list[Victim] = []


@pytest.fixture
async def victim(system: Any) -> Victim:
    if _VICTIM:
        return _VICTIM[0]
    zhangsan = await system.auth("zhangsan")
    id_number, phone = resident_id_number(), mobile_number()
    async with system.client() as client:
        materials = {
            t: await upload_material(client, zhangsan, t)
            for t in ("id_card", "marriage_cert", "birth_medical_cert", "hukou_book")
        }
        body = {
            "matter_code": MATTER,
            "form": await newborn_form(client, id_number=id_number, phone=phone),
            "materials": materials,
            "channel": "online",
        }
        response = await submit_application(client, zhangsan, body)
    assert response.status_code == 201, response.text
    detail = response.json()
    _VICTIM.append(
        Victim(
            number=detail["acceptance_number"],
            detail=detail,
            materials=materials,
            id_number=id_number,
            phone=phone,
            tokens=[await system.token("zhangsan")],
        )
    )
    return _VICTIM[0]
