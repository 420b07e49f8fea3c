"""Crafted input at the one door (issue 18), sent to the real system's gateway on raw sockets where a
client library would not send it. Every answer is a clear 4xx/5xx-free problem, never a 500, and none
of it reaches a service. Also crafted input that does reach a service: Last-Event-ID values that are
no id of the caller's, streams over the per-user cap, a PDF/HTML polyglot and an OFD (ZIP) bomb.
"""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = pytest.mark.e2e


async def exchange(system, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``raw`` on a new connection; the answer (status, headers, content-length body)."""
    address = urlsplit(system.gateway_url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        writer.write(raw)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines if line)
        body = await asyncio.wait_for(reader.readexactly(int(headers.get("content-length", "0"))), 30)
        return int(status_line.split()[1]), headers, body
    finally:
        writer.close()


CRAFTED = [
    (b"GET /api/v1/matters HTTP/1.1\r\nhost: gw\r\nx-big: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    (b"GET /api/v1/matters HTTP/1.1\r\nhost: gw\r\n" + b"x-n: 1\r\n" * 200 + b"\r\n", 431),
    (b"GET /api/v1/matters?q=" + b"a" * 20_000 + b" HTTP/1.1\r\nhost: gw\r\n\r\n", 414),
    (b"GET /api/v1/matters HTTP/2.0\r\nhost: gw\r\n\r\n", 505),
    (b"GET /api/v1/matters\r\n\r\n", 400),
    (b"GET /api/v1/matters HTTP/1.1\r\n\r\n", 400),
    (b"GET /api/v1/matters HTTP/1.1\r\nhost: gw\r\nhost: evil.example\r\n\r\n", 400),
    (b"GET /index.html%00.js HTTP/1.1\r\nhost: gw\r\n\r\n", 404),
]


@pytest.mark.parametrize(
    ("raw", "status"),
    CRAFTED,
    ids=[
        "huge-header",
        "200-headers",
        "20k-url",
        "http-2.0",
        "http-0.9",
        "no-host",
        "two-hosts",
        "nul-in-path",
    ],
)
async def test_a_crafted_request_head_gets_a_clear_problem_and_never_a_5xx_from_a_service(
    system, raw: bytes, status: int
) -> None:
    answer, headers, body = await exchange(system, raw)
    assert answer == status, body
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["status"] == status


async def test_head_is_answered_like_get_without_a_body_on_api_routes_and_the_documents(system) -> None:
    async with system.client() as client:
        for path in ("/api/v1/matters", "/openapi.json", "/asyncapi.json", "/"):
            got, head = await client.get(path), await client.head(path)
            assert (head.status_code, head.content) == (200, b""), path
            assert head.headers.get("content-length") == got.headers.get("content-length"), path


async def test_if_none_match_with_a_weak_tag_or_a_star_is_304(system) -> None:
    async with system.client() as client:
        etag = (await client.get("/")).headers["etag"]
        weak = await client.get("/", headers={"If-None-Match": f"W/{etag}"})
        star = await client.get("/", headers={"If-None-Match": "*"})
    assert (weak.status_code, star.status_code) == (304, 304)


async def test_a_lone_surrogate_in_a_login_body_is_422(system) -> None:
    async with system.client() as client:
        response = await client.post(
            "/auth/token",
            content=b'{"username": "\\ud800", "password": "demo"}',
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_guessing_one_users_password_is_stopped_with_429(system) -> None:
    # A user name of its own: the login budget of real test users is not touched. The budget is the one
    # the test system was started with (tests/conftest.py), not the production default of 10.
    budget = system.login_burst_per_user
    async with system.client() as client:
        answers = [
            await client.post("/auth/token", json={"username": "brute-force-target", "password": f"guess{n}"})
            for n in range(budget + 1)
        ]
    assert [a.status_code for a in answers[:budget]] == [401] * budget
    assert answers[budget].status_code == 429 and int(answers[budget].headers["retry-after"]) >= 1


async def test_an_early_refusal_closes_the_connection_of_a_client_still_sending_its_body(system) -> None:
    address = urlsplit(system.gateway_url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.write(b"POST /api/v1/applications HTTP/1.1\r\nhost: gw\r\ncontent-length: 50000000\r\n\r\n{")
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
    assert head.startswith(b"HTTP/1.1 401 ") and b"\r\nconnection: close\r\n" in head
    for _ in range(30):  # a byte every 0.5 s: the gateway closes after its lingering time (2 s) all the same
        try:
            writer.write(b" ")
            if not await asyncio.wait_for(reader.read(65536), 0.5):
                break
        except TimeoutError:
            continue
        except ConnectionError:
            break
    else:
        pytest.fail("the gateway kept the connection of a client trickling a refused body")
    writer.close()
    async with httpx.AsyncClient(base_url=system.gateway_url) as client:
        assert (await client.get("/healthz")).status_code == 200


async def test_a_lone_surrogate_in_a_submitted_form_is_422_and_nothing_is_stored(system) -> None:
    token = await system.token("zhangsan")
    body = (
        b'{"matter_code": "newborn-birth", "form": {"child_name": "\\ud800"}, "materials": {}, '
        b'"channel": "online"}'
    )
    async with system.client() as client:
        response = await client.post(
            "/api/v1/applications",
            content=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": "lone-surrogate-form",
            },
        )
        mine = await client.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "lone-surrogate" not in mine.text


async def _first_stream_line(client: httpx.AsyncClient, headers: dict[str, str], prefix: str) -> str:
    """Open the caller's live stream and return its first line starting with ``prefix``."""
    async with client.stream("GET", "/api/v1/notifications/stream", headers=headers) as stream:
        assert stream.status_code == 200, await stream.aread()
        assert stream.headers["content-type"].startswith("text/event-stream")
        async for line in stream.aiter_lines():
            if line.startswith(prefix):
                return line
    raise AssertionError("the stream ended")


@pytest.mark.parametrize(
    "last_event_id",
    ["²".encode(), b"\xb2", b"9" * 4000, b"-1", b"9223372036854775807", b"99999999999999999999"],
    ids=["superscript-two-utf8", "superscript-two-latin1", "over-long", "negative", "beyond", "over-bigint"],
)
async def test_a_crafted_last_event_id_replays_the_inbox_from_its_oldest_message(
    system, victim, last_event_id: bytes
) -> None:
    # zhangsan's application (the victim's) sent them at least one message; a stream resuming from an id
    # that is not theirs replays from the oldest instead of answering 500 or staying silent.
    headers = {**await system.auth("zhangsan"), "Last-Event-ID": last_event_id}
    async with system.client() as client:
        line = await asyncio.wait_for(_first_stream_line(client, headers, "id: "), timeout=60)
    assert int(line.removeprefix("id: ")) > 0


async def test_streams_over_the_per_user_cap_are_429_with_retry_after_through_the_gateway(system) -> None:
    headers = await system.auth("lisi")
    async with system.client() as client:
        opened = [client.stream("GET", "/api/v1/notifications/stream", headers=headers) for _ in range(5)]
        streams = [await stream.__aenter__() for stream in opened]
        try:
            assert [s.status_code for s in streams] == [200] * 5
            refused = await client.get("/api/v1/notifications/stream", headers=headers)
        finally:
            for stream in opened:
                await stream.__aexit__(None, None, None)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1


#: A PDF that is also an HTML page (issue 18): served as HTML it would run its script.
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


async def test_a_pdf_html_polyglot_named_html_downloads_as_a_pdf(system) -> None:
    headers = await system.auth("zhangsan")
    async with system.client() as client:
        created = await client.post(
            "/api/v1/materials",
            headers=headers,
            data={"material_type": "id_card"},
            files={"file": ("x.html", POLYGLOT, "application/octet-stream")},
        )
        assert created.status_code == 201, created.text
        content = await client.get(f"/api/v1/materials/{created.json()['id']}/content", headers=headers)
    assert content.status_code == 200
    assert content.headers["content-type"] == "application/pdf"
    assert content.headers["content-disposition"] == 'attachment; filename="x.pdf"'
    assert content.headers["x-content-type-options"] == "nosniff"


def _ofd_bomb(expanded: int) -> bytes:
    """A ZIP with an ``OFD.xml`` and one entry of ``expanded`` zero bytes (deflate: ~1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
        with archive.open("Doc_0/Res/big.bin", "w") as entry:
            for _ in range(expanded // (1024 * 1024)):
                entry.write(bytes(1024 * 1024))
    return buffer.getvalue()


async def test_an_ofd_that_expands_to_200_mib_is_refused_with_a_problem(system) -> None:
    headers = await system.auth("zhangsan")
    async with system.client() as client:
        refused = await client.post(
            "/api/v1/materials",
            headers=headers,
            data={"material_type": "id_card"},
            files={"file": ("bomb.ofd", _ofd_bomb(200 * 1024 * 1024), "application/ofd")},
        )
    assert refused.status_code in {413, 422}, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
