"""An applicant's steps through the public API, shared by the end-to-end, security and fault suites.

These drive the gateway exactly as a front-end would (multipart upload, Idempotency-Key on submission),
so a change to the public contract breaks every suite that relies on it in one place.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import httpx

from onematter_testkit.builders import random_id
from onematter_testkit.kafka import wait_for

__all__ = [
    "Submission",
    "form_from_schema",
    "mobile_number",
    "resident_id_number",
    "submit_application",
    "submit_matter",
    "upload_material",
]

#: GB 11643 weights of the first 17 digits of a resident ID number (公民身份号码).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_rng = secrets.SystemRandom()


def form_from_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Every field filled with the example value the catalog publishes for it."""
    properties = schema.get("properties", {})
    return {name: prop["examples"][0] for name, prop in properties.items() if prop.get("examples")}


def resident_id_number() -> str:
    """A random, well-formed 18-digit resident ID number with a valid check digit."""
    body = f"110105{_rng.randint(1950, 2005)}{_rng.randint(1, 12):02d}{_rng.randint(1, 28):02d}"
    body += f"{_rng.randint(0, 999):03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


def mobile_number() -> str:
    return f"139{_rng.randint(0, 99_999_999):08d}"


async def upload_material(
    client: httpx.AsyncClient, headers: dict[str, str], material_type: str, *, size: int = 1024, **fields: str
) -> str:
    """Uploads a small random PDF as ``material_type`` and returns the material's id (asserts 201).

    ``fields`` are extra form fields, e.g. ``on_behalf_of`` for a window clerk (帮办代办)."""
    pdf = b"%PDF-1.7\n" + secrets.token_bytes(size)
    response = await client.post(
        "/api/v1/materials",
        headers=headers,
        data={"material_type": material_type, **fields},
        files={"file": (f"{material_type}.pdf", pdf, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def submit_application(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], *, key: str | None = None
) -> httpx.Response:
    """Submits once the acceptance service holds its local copy of the matter.

    The matter reaches acceptance over Kafka, so right after start-up a submission may be refused with 422
    on ``matter_code``; retrying with the same Idempotency-Key is safe, so that one answer is retried."""
    key = key or random_id("app")

    async def accepted() -> httpx.Response | None:
        response = await client.post(
            "/api/v1/applications", json=body, headers={**headers, "Idempotency-Key": key}
        )
        unknown = response.status_code == 422 and any(
            e.get("field") == "matter_code" for e in response.json().get("errors", [])
        )
        return None if unknown else response

    return await wait_for(accepted, timeout=60, interval=1, message="the matter to reach acceptance")


@dataclass(frozen=True)
class Submission:
    """What :func:`submit_matter` sent and got: the gateway's answer and the submitted body."""

    response: httpx.Response
    body: dict[str, Any]

    @property
    def materials(self) -> dict[str, str]:
        """Material type → id of the material uploaded for it."""
        return dict(self.body["materials"])


async def submit_matter(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    matter_code: str,
    *,
    channel: str = "online",
    without: Collection[str] = (),
    uploads_by: dict[str, str] | None = None,
    **fields: Any,
) -> Submission:
    """Uploads one material of every type the matter lists (but ``without``) into the locker of
    ``uploads_by`` (default: the caller), fills its form with the catalog's examples and submits it with
    ``headers`` (:func:`submit_application`), adding ``fields`` to the body (e.g. ``on_behalf_of``); the
    caller asserts on ``response``."""
    matter = (await client.get(f"/api/v1/matters/{matter_code}")).json()
    owner = uploads_by or headers
    materials = {
        m["material_type"]: await upload_material(client, owner, m["material_type"])
        for m in matter["materials"]
        if m["material_type"] not in without
    }
    body = {
        "matter_code": matter_code,
        "form": form_from_schema(matter["form_schema"]),
        "materials": materials,
        "channel": channel,
        **fields,
    }
    return Submission(await submit_application(client, headers, body), body)
