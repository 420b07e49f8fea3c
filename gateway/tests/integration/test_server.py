"""The gateway's own HTTP server (uvicorn + the fast path for ``/api/...``), spoken to on raw sockets.

What a general client hides is what these check: keep-alive, pipelining order, chunked bodies,
``Expect: 100-continue``, a slow request head, and that the fast path answers like the ASGI one.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable

import pytest
import uvicorn
from fastapi import FastAPI
from onematter_gateway.config import GatewaySettings
from onematter_gateway.entrypoints.app import create_app
from onematter_gateway.entrypoints.server import protocol_for
from onematter_kit.identity import Principal, Role

from .conftest import POLICY, fake_backend, free_port

pytestmark = pytest.mark.integration


class Door:
    """A gateway served with its own protocol class, and the bytes of an applicant's Authorization."""

    def __init__(self, app: FastAPI, url: str) -> None:
        self.app, self.port = app, int(url.rsplit(":", 1)[1])
        token, _ = app.state.idp.issue(Principal(subject="zhangsan", roles=frozenset({Role.applicant})))
        self.auth = f"authorization: Bearer {token}\r\n".encode()
        self.fast_requests = 0
        fast_path = app.state.fast_path
        handle = fast_path.handle

        async def counting(cycle, asgi_app) -> None:  # type: ignore[no-untyped-def]
            self.fast_requests += 1
            await handle(cycle, asgi_app)

        fast_path.handle = counting

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port)


@pytest.fixture
def door(serve: Callable[..., str]) -> Callable[..., Door]:
    def start(**overrides: object) -> Door:
        settings = GatewaySettings(
            catalog_url=serve(fake_backend()), notification_url=f"http://127.0.0.1:{free_port()}", **overrides
        )  # type: ignore[arg-type]
        app = create_app(settings, policy=POLICY)
        return Door(app, serve(app, http=protocol_for(app)))

    return start


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    """One response with a content-length body (what the gateway sends for small answers)."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    status_line, *lines = head.decode().split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines if line)
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers, body


def get(path: str, auth: bytes = b"") -> bytes:
    return f"GET {path} HTTP/1.1\r\nhost: gw\r\n".encode() + auth + b"\r\n"


async def test_one_keep_alive_connection_serves_api_and_gateway_routes_in_turn(door) -> None:
    gw = door()
    reader, writer = await gw.connect()
    for path in ("/api/v1/things/1", "/healthz", "/api/v1/things/2"):
        writer.write(get(path, gw.auth))
        status, headers, _ = await read_response(reader)
        assert status == 200, path
        assert "connection" not in headers and headers["x-request-id"]
    writer.close()
    assert gw.fast_requests == 2  # /api went the fast way, /healthz through FastAPI


async def test_pipelined_requests_are_answered_in_the_order_they_were_sent(door) -> None:
    gw = door()
    reader, writer = await gw.connect()
    writer.write(b"".join(get(f"/api/v1/things/{n}", gw.auth) for n in range(1, 6)) + get("/healthz"))
    ids = [json.loads((await read_response(reader))[2])["id"] for _ in range(5)]
    assert ids == ["1", "2", "3", "4", "5"]
    assert (await read_response(reader))[0] == 200
    writer.close()


async def test_a_chunked_request_body_reaches_the_backend_whole(door) -> None:
    gw = door()
    reader, writer = await gw.connect()
    writer.write(
        b"POST /api/v1/things HTTP/1.1\r\nhost: gw\r\ntransfer-encoding: chunked\r\n"
        + gw.auth
        + b"\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    status, _, body = await read_response(reader)
    assert (status, json.loads(body)) == (201, {"size": 11})
    writer.close()


async def test_expect_100_continue_gets_100_before_the_body_is_sent(door) -> None:
    gw = door()
    reader, writer = await gw.connect()
    writer.write(
        b"POST /api/v1/things HTTP/1.1\r\nhost: gw\r\ncontent-length: 4\r\n"
        b"expect: 100-continue\r\n" + gw.auth + b"\r\n"
    )
    interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert interim.startswith(b"HTTP/1.1 100 Continue")
    writer.write(b"abcd")
    status, _, body = await read_response(reader)
    assert (status, json.loads(body)) == (201, {"size": 4})
    writer.close()


async def test_a_declared_body_over_the_limit_is_413_without_100_continue(door) -> None:
    gw = door(max_body_bytes=2048)
    reader, writer = await gw.connect()
    writer.write(
        b"POST /api/v1/things HTTP/1.1\r\nhost: gw\r\ncontent-length: 999999\r\n"
        b"expect: 100-continue\r\n" + gw.auth + b"\r\n"
    )
    status, headers, body = await read_response(reader)
    assert status == 413 and headers["content-type"] == "application/problem+json"
    assert json.loads(body)["type"].endswith("/payload-too-large")
    writer.close()


async def test_a_client_that_sends_its_head_too_slowly_gets_408_and_is_cut_off(door) -> None:
    gw = door(header_read_timeout_seconds=1)
    reader, writer = await gw.connect()
    writer.write(b"GET /api/v1/things/1 HTTP/1.1\r\nhost: gw\r\n")
    answer = asyncio.ensure_future(reader.read(1000))
    for _ in range(100):  # a byte every 0.2 s, for at most 20 s, keeps a naive server waiting forever
        if answer.done():
            break
        writer.write(b"x")
        await asyncio.wait([answer], timeout=0.2)
    assert (await asyncio.wait_for(answer, 5)).startswith(b"HTTP/1.1 408")
    writer.close()


async def test_a_body_that_stalls_is_cut_off_with_408(door) -> None:
    gw = door(body_read_timeout_seconds=1)
    reader, writer = await gw.connect()
    writer.write(
        b"POST /api/v1/things HTTP/1.1\r\nhost: gw\r\ncontent-length: 100\r\n" + gw.auth + b"\r\nabc"
    )
    status, headers, _ = await read_response(reader)  # read_response waits at most 5 s
    assert (status, headers["connection"]) == (408, "close")
    writer.close()


async def test_a_backend_that_is_down_gives_503_at_once_on_the_fast_path(door) -> None:
    # "At once": read_response gives up after 5 s, long before the 30 s and 60 s timeouts set here.
    gw = door(upstream_connect_timeout_seconds=30, upstream_timeout_seconds=60)
    reader, writer = await gw.connect()
    writer.write(get("/api/v1/notices", gw.auth))
    status, headers, _ = await read_response(reader)
    assert status == 503 and headers["content-type"] == "application/problem+json"
    assert gw.fast_requests == 1
    writer.close()


async def test_http_1_0_gets_its_answer_and_the_connection_closes(door) -> None:
    gw = door()
    reader, writer = await gw.connect()
    writer.write(b"GET /api/v1/public HTTP/1.0\r\n\r\n")
    status, headers, body = await read_response(reader)
    assert (status, headers["connection"], json.loads(body)) == (200, "close", {"subject": "anonymous"})
    assert await asyncio.wait_for(reader.read(), 5) == b""
    writer.close()


async def test_an_answer_to_head_is_the_get_answers_head_without_its_body(door) -> None:
    gw = door()
    reader, writer = await gw.connect()
    get_body = b'{"subject":"anonymous"}'  # what GET /api/v1/public answers (the fake backend's JSON)
    for path in ("/api/v1/public", "/openapi.json", "/healthz"):
        writer.write(f"HEAD {path} HTTP/1.1\r\nhost: gw\r\n\r\n".encode() + get("/healthz"))
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert head.startswith(b"HTTP/1.1 200 "), (path, head)
        if path == "/api/v1/public":
            assert b"\r\ncontent-length: %d\r\n" % len(get_body) in head
        assert (await read_response(reader))[0] == 200  # no stray body bytes before the next answer
    writer.close()


async def test_browsers_cors_requests_are_answered_with_the_cors_headers(door) -> None:
    gw = door(cors_origins=["https://portal.example.cn"])
    reader, writer = await gw.connect()
    writer.write(b"GET /api/v1/public HTTP/1.1\r\nhost: gw\r\norigin: https://portal.example.cn\r\n\r\n")
    status, headers, _ = await read_response(reader)
    assert status == 200 and headers["access-control-allow-origin"] == "https://portal.example.cn"
    writer.close()


async def _accepts(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


async def test_on_shutdown_a_request_in_flight_is_answered_and_its_connection_closed(serve) -> None:
    backend = fake_backend()
    settings = GatewaySettings(catalog_url=serve(backend), notification_url=f"http://127.0.0.1:{free_port()}")
    app = create_app(settings, policy=POLICY)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            http=protocol_for(app),
            log_level="warning",
            timeout_graceful_shutdown=10,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:  # noqa: ASYNC110 — uvicorn offers no event to wait on
        await asyncio.sleep(0.02)
    gw = Door(app, f"http://127.0.0.1:{port}")
    reader, writer = await gw.connect()
    writer.write(get("/api/v1/held", gw.auth))  # the backend answers when released
    assert await asyncio.to_thread(backend.state.held.wait, 30), "the request never reached the backend"
    server.should_exit = True  # what SIGTERM does
    while await _accepts(port):  # noqa: ASYNC110 — uvicorn offers no event: it stops listening, then drains
        await asyncio.sleep(0.02)
    backend.state.release.set()
    status, headers, body = await read_response(reader)
    assert (status, headers["connection"], json.loads(body)) == (200, "close", {"released": True})
    await asyncio.to_thread(thread.join, 10)
    assert not thread.is_alive()
    writer.close()
