"""The file name is a label only, and ZIP containers are read before they are accepted (issue 18)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest
from onematter_material.config import MaterialSettings

from .helpers import applicant, headers, upload

pytestmark = pytest.mark.integration
MIB = 1024 * 1024
#: A PDF that is also an HTML page: browsers sniffing HTML would run the script.
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def _ofd(entries: dict[str, int]) -> bytes:
    """A deflated ZIP with ``OFD.xml`` and entries of the given numbers of zero bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        for name, size in entries.items():
            with archive.open(name, "w") as entry:
                for start in range(0, size, MIB):
                    entry.write(bytes(min(MIB, size - start)))
    return buffer.getvalue()


def _stored_files(settings: MaterialSettings) -> list[Path]:
    root = settings.material_storage_dir
    return [p for p in root.rglob("*") if p.is_file() and "tmp" not in p.relative_to(root).parts]


async def test_a_pdf_html_polyglot_named_html_downloads_as_a_pdf_attachment(
    client: httpx.AsyncClient,
) -> None:
    owner = applicant()
    unknown = "application/octet-stream"
    created = await upload(client, owner, POLYGLOT, file_name="x.html", content_type=unknown)
    assert created.status_code == 201, created.text
    assert created.json()["media_type"] == "application/pdf"

    content = await client.get(f"/api/v1/materials/{created.json()['id']}/content", headers=headers(owner))

    assert content.status_code == 200 and content.content == POLYGLOT
    assert content.headers["content-type"] == "application/pdf"
    assert content.headers["content-disposition"] == 'attachment; filename="x.pdf"'
    assert content.headers["x-content-type-options"] == "nosniff"


async def test_a_polyglot_declared_as_html_is_refused(client: httpx.AsyncClient) -> None:
    refused = await upload(client, applicant(), POLYGLOT, file_name="x.html", content_type="text/html")
    assert refused.status_code == 415


async def test_an_ofd_within_the_limits_is_accepted(client: httpx.AsyncClient) -> None:
    ofd = _ofd({"Doc_0/Document.xml": 1000})
    created = await upload(client, applicant(), ofd, file_name="证明.ofd", content_type="application/ofd")
    assert created.status_code == 201, created.text
    assert created.json()["media_type"] == "application/ofd"


async def test_an_ofd_that_expands_to_200_mib_is_refused_with_413_and_nothing_is_stored(
    client: httpx.AsyncClient, settings: MaterialSettings
) -> None:
    bomb = _ofd({"Doc_0/Res/big.bin": 200 * MIB})
    assert len(bomb) < MIB

    refused = await upload(client, applicant(), bomb, file_name="bomb.ofd", content_type="application/ofd")

    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["limit"] == settings.max_container_expanded_bytes
    assert _stored_files(settings) == []


async def test_an_ofd_with_too_many_entries_is_refused_with_422(
    client: httpx.AsyncClient, settings: MaterialSettings
) -> None:
    crowded = _ofd({f"Doc_0/Pages/{i}.xml": 1 for i in range(settings.max_container_entries)})

    refused = await upload(client, applicant(), crowded, file_name="many.ofd", content_type="application/ofd")

    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "file"
