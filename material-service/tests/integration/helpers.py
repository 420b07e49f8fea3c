"""Builders of files and principals for the material service's tests."""

from __future__ import annotations

import secrets

import httpx
from onematter_events import CloudEvent
from onematter_kit.identity import Principal
from onematter_testkit import internal_headers, make_principal, publish_event, random_id

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def pdf_bytes(size: int = 2048) -> bytes:
    return b"%PDF-1.7\n" + secrets.token_bytes(size)


def png_bytes(size: int = 2048) -> bytes:
    return PNG_MAGIC + secrets.token_bytes(size)


def applicant(name: str = "张三") -> Principal:
    return make_principal(random_id("person"), "applicant").model_copy(update={"name": name})


def officer(department: str) -> Principal:
    return make_principal(random_id("officer"), "officer", department=department)


def headers(principal: Principal) -> dict[str, str]:
    return internal_headers(principal, audience="material")


async def upload(
    client: httpx.AsyncClient,
    owner: Principal,
    content: bytes,
    *,
    material_type: str = "id_card",
    file_name: str = "scan.pdf",
    content_type: str = "application/pdf",
) -> httpx.Response:
    return await client.post(
        "/api/v1/materials",
        headers=headers(owner),
        data={"material_type": material_type},
        files={"file": (file_name, content, content_type)},
    )


async def publish(bootstrap: str, topic: str, event: CloudEvent) -> None:
    """Send one event as its producer would (keyed by the application id)."""
    await publish_event(bootstrap, topic, event)
