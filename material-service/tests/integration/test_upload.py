"""Uploading: stored once per content, streamed under a size limit, checked by magic bytes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from onematter_events import Stream, topic_name
from onematter_events.materials import MATERIAL_UPLOADED
from onematter_material.config import MaterialSettings
from onematter_testkit import read_events

from .helpers import PNG_MAGIC, applicant, headers, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.integration
MIB = 1024 * 1024


def _stored_files(settings: MaterialSettings) -> list[Path]:
    root = settings.material_storage_dir
    return [p for p in root.rglob("*") if p.is_file() and "tmp" not in p.relative_to(root).parts]


async def test_the_same_file_from_two_applicants_is_stored_once_and_each_sees_only_their_own(
    client: httpx.AsyncClient, settings: MaterialSettings, kafka_bootstrap: str, topic_prefix: str
) -> None:
    content, alice, bob = pdf_bytes(), applicant(), applicant("李四")
    first, second = await upload(client, alice, content), await upload(client, bob, content)
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json()["sha256"] == second.json()["sha256"] == hashlib.sha256(content).hexdigest()
    assert first.json()["id"] != second.json()["id"]
    assert len(_stored_files(settings)) == 1
    for owner, mine, theirs in ((alice, first, second), (bob, second, first)):
        listed = (await client.get("/api/v1/materials", headers=headers(owner))).json()
        assert [m["id"] for m in listed["items"]] == [mine.json()["id"]] and listed["total"] == 1
        other = await client.get(f"/api/v1/materials/{theirs.json()['id']}", headers=headers(owner))
        assert other.status_code == 404
    events = await read_events(
        kafka_bootstrap,
        topic_name(Stream.materials, topic_prefix),
        count=2,
        where=lambda e: e.type == MATERIAL_UPLOADED,
    )
    assert {e.data["owner_id"] for e in events} == {alice.subject, bob.subject}


def _status_bytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} in /proc/self/status")


def _reset_peak_rss() -> None:
    """Make VmHWM (peak RSS) start from now: memory freed before we look must still count."""
    Path("/proc/self/clear_refs").write_text("5")


async def _multipart_stream(boundary: str, total: int) -> AsyncIterator[bytes]:
    """A multipart body generated chunk by chunk, so the test itself never holds the file either."""
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="material_type"\r\n\r\nid_card\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode()
    yield b"%PDF-1.7\n"
    size = 64 * 1024
    for _ in range(total // size + 1):
        yield os.urandom(size)  # a new object each time: a server that kept chunks would really grow
    yield f"\r\n--{boundary}--\r\n".encode()


async def test_a_25_mib_upload_is_refused_with_413_without_memory_growing_by_its_size(
    client: httpx.AsyncClient, settings: MaterialSettings
) -> None:
    owner, boundary = applicant(), "onematter-boundary-7d3f"
    warm = await upload(client, owner, pdf_bytes())  # first-call allocations are not the upload's
    assert warm.status_code == 201
    _reset_peak_rss()
    before = _status_bytes("VmRSS")
    response = await client.post(
        "/api/v1/materials",
        content=_multipart_stream(boundary, 25 * MIB),
        headers={**headers(owner), "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    growth = _status_bytes("VmHWM") - before
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    print(f"peak RSS growth during a refused 25 MiB upload: {growth / MIB:.2f} MiB")
    assert growth < 10 * MIB, f"peak RSS grew by {growth / MIB:.1f} MiB"
    assert len(_stored_files(settings)) == 1  # only the warm-up file; nothing of the refused one is kept
    assert not list((settings.material_storage_dir / "tmp").iterdir())


async def test_a_file_just_over_the_limit_is_refused_even_without_a_content_length(
    client: httpx.AsyncClient, settings: MaterialSettings
) -> None:
    boundary = "b0undary"
    response = await client.post(
        "/api/v1/materials",
        content=_multipart_stream(boundary, settings.max_upload_bytes),
        headers={**headers(applicant()), "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413


async def test_a_png_declared_as_pdf_is_refused_with_415(client: httpx.AsyncClient) -> None:
    response = await upload(
        client, applicant(), png_bytes(), file_name="scan.pdf", content_type="application/pdf"
    )
    assert response.status_code == 415
    assert response.json()["detected"] == "image/png"


async def test_a_png_declared_as_png_is_accepted_with_its_real_type(client: httpx.AsyncClient) -> None:
    response = await upload(client, applicant(), png_bytes(), file_name="photo.png", content_type="image/png")
    assert response.status_code == 201 and response.json()["media_type"] == "image/png"


async def test_a_file_that_is_no_accepted_type_is_refused_with_415(client: httpx.AsyncClient) -> None:
    response = await upload(
        client,
        applicant(),
        b"MZ\x90\x00 not a document",
        file_name="a.exe",
        content_type="application/octet-stream",
    )
    assert response.status_code == 415


async def test_an_empty_file_is_refused_with_422_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await upload(client, applicant(), b"")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


async def test_a_missing_material_type_is_refused_with_422(client: httpx.AsyncClient) -> None:
    owner = applicant()
    response = await client.post(
        "/api/v1/materials", headers=headers(owner), files={"file": ("a.pdf", pdf_bytes(), "application/pdf")}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "material_type"


async def test_a_path_as_file_name_is_harmless(
    client: httpx.AsyncClient, settings: MaterialSettings, tmp_path: Path
) -> None:
    owner = applicant()
    response = await upload(client, owner, pdf_bytes(), file_name="../../etc/passwd")
    assert response.status_code == 201
    body = response.json()
    assert body["file_name"] == "passwd"
    assert not (settings.material_storage_dir.parent / "etc").exists()
    assert [p.name for p in _stored_files(settings)] == [body["sha256"]]
    content = await client.get(f"/api/v1/materials/{body['id']}/content", headers=headers(owner))
    assert content.status_code == 200
    assert "/" not in content.headers["content-disposition"].split("filename", 1)[1]


async def test_content_is_served_with_type_etag_disposition_and_ranges(client: httpx.AsyncClient) -> None:
    owner, content = applicant(), pdf_bytes(4096)
    material = (await upload(client, owner, content, file_name="出生医学证明.pdf")).json()
    url = f"/api/v1/materials/{material['id']}/content"
    full = await client.get(url, headers=headers(owner))
    assert full.status_code == 200 and full.content == content
    assert full.headers["content-type"] == "application/pdf"
    assert full.headers["etag"] == f'"{material["sha256"]}"'
    assert full.headers["content-disposition"].startswith("attachment; filename*=utf-8''")
    part = await client.get(url, headers={**headers(owner), "range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == content[:10]
    assert part.headers["content-range"] == f"bytes 0-9/{len(content)}"
    cached = await client.get(url, headers={**headers(owner), "if-none-match": full.headers["etag"]})
    assert cached.status_code == 304


async def test_deleting_the_last_material_of_a_blob_removes_the_bytes_but_not_a_shared_blob(
    client: httpx.AsyncClient, settings: MaterialSettings
) -> None:
    content, alice, bob = pdf_bytes(), applicant(), applicant()
    first = (await upload(client, alice, content)).json()
    second = (await upload(client, bob, content)).json()
    assert (await client.delete(f"/api/v1/materials/{first['id']}", headers=headers(bob))).status_code == 404
    assert (
        await client.delete(f"/api/v1/materials/{first['id']}", headers=headers(alice))
    ).status_code == 204
    assert len(_stored_files(settings)) == 1
    assert (
        await client.get(f"/api/v1/materials/{second['id']}/content", headers=headers(bob))
    ).content == content
    assert (await client.delete(f"/api/v1/materials/{second['id']}", headers=headers(bob))).status_code == 204
    assert _stored_files(settings) == []


async def test_a_call_without_an_internal_token_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/materials")).status_code == 401


async def test_a_limit_above_100_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/materials?limit=101", headers=headers(applicant()))
    assert response.status_code == 422


def test_png_magic_is_the_real_one() -> None:
    assert bytes([137, 80, 78, 71, 13, 10, 26, 10]) == PNG_MAGIC
