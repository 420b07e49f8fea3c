"""A fake backend and the gateway, each served by a real uvicorn on a free port in a thread.

Real sockets, because the proxy hop is our own HTTP/1.1 client (no in-process transport) and because
streaming (SSE, uploads) is what these tests check. The gateway runs both ways it is deployed: with its
own protocol class (``fast``: ``python -m onematter_gateway``) and as a plain ASGI app (``asgi``:
``uvicorn --factory``, as in ``deploy/``), so every proxy test checks both paths."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from onematter_gateway.config import GatewaySettings
from onematter_gateway.domain.policy import RoutePolicy, rule
from onematter_gateway.entrypoints.app import create_app
from onematter_gateway.entrypoints.server import protocol_for
from onematter_kit.identity import Principal, Role
from onematter_kit.internal_auth import CurrentPrincipal, InternalAuthMiddleware
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET

S = "matter-catalog"  # the fake backend stands in for this service
POLICY = RoutePolicy(
    [
        rule("GET", "/api/v1/things/{thing_id}", S, Role.applicant, Role.clerk, summary="One thing"),
        rule("GET", "/api/v1/public", S, summary="Anyone"),
        rule("POST", "/api/v1/things", S, Role.applicant, summary="Make a thing"),
        rule("POST", "/api/v1/uploads", S, Role.applicant, upload=True, summary="Upload"),
        rule("GET", "/api/v1/slow", S, Role.applicant),
        rule("GET", "/api/v1/held", S, Role.applicant),
        rule("GET", "/api/v1/events", S, Role.applicant, stream=True, summary="Live events"),
        rule("GET", "/api/v1/notices", "notification", Role.applicant),  # nothing listens there
    ]
)


def fake_backend() -> FastAPI:
    app = FastAPI(title="fake backend")
    app.state.release, app.state.held = threading.Event(), threading.Event()

    @app.get("/api/v1/things/{thing_id}")
    async def thing(thing_id: str, request: Request, principal: CurrentPrincipal) -> dict[str, object]:
        return {
            "id": thing_id,
            "subject": principal.subject,
            "roles": sorted(principal.roles),
            "headers": dict(request.headers),
        }

    @app.get("/api/v1/public")
    async def public(principal: CurrentPrincipal) -> dict[str, str]:
        return {"subject": principal.subject}

    @app.post("/api/v1/things", status_code=201)
    async def make(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.post("/api/v1/uploads")
    async def upload(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"size": size}

    @app.get("/api/v1/slow")
    async def slow() -> dict[str, bool]:
        await asyncio.sleep(3)  # six times the 0.5 s timeout the 504 test gives it
        return {"slow": True}

    @app.get("/api/v1/held")
    async def held() -> dict[str, bool]:
        """Answers once the test calls ``release.set()``; ``held.set()`` says it has the request."""
        app.state.held.set()
        return {"released": await asyncio.to_thread(app.state.release.wait, 30)}

    @app.get("/api/v1/events")
    async def events() -> StreamingResponse:
        async def stream() -> AsyncIterator[bytes]:
            yield b"data: first\n\n"
            # The second event waits until the test has seen the first: a gateway that buffered the
            # stream would deliver nothing before this wait ran out.
            released = await asyncio.to_thread(app.state.release.wait, 30)
            yield b"data: second after release\n\n" if released else b"data: second, never released\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    @app.get("/api/v1/internal/reindex", summary="internal only")
    async def internal() -> dict[str, bool]:
        return {"internal": True}

    app.add_middleware(InternalAuthMiddleware, secret=DEVELOPMENT_INTERNAL_SECRET, audience=S)
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """``serve(app, http=protocol class)`` → its base URL; every server is stopped at the end of the test."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: FastAPI, http: type | str = "auto") -> str:
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="on",
                timeout_keep_alive=5,
                proxy_headers=False,
                http=http,
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60  # a loaded machine can take this long
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
            time.sleep(0.02)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, _ in servers:
        server.should_exit = True
    for _, thread in servers:
        thread.join(timeout=10)


class Gateway:
    def __init__(self, url: str, app: FastAPI, backend: FastAPI) -> None:
        self.url, self.app, self.backend = url, app, backend

    def token(self, subject: str, *roles: Role) -> dict[str, str]:
        access, _ = self.app.state.idp.issue(Principal(subject=subject, roles=frozenset(roles)))
        return {"Authorization": f"Bearer {access}"}


@pytest.fixture(params=["fast", "asgi"])
def gateway(request: pytest.FixtureRequest, serve: Callable[..., str]) -> Callable[..., Gateway]:
    """``gateway(**settings)``: a gateway on a real port in front of a fresh fake backend."""

    def start(**overrides: object) -> Gateway:
        backend = fake_backend()
        backend_url = serve(backend)
        settings = GatewaySettings(
            catalog_url=backend_url,
            notification_url=f"http://127.0.0.1:{free_port()}",
            log_json=True,
            **overrides,
        )  # type: ignore[arg-type]
        app = create_app(settings, policy=POLICY)
        url = serve(app, http=protocol_for(app) if request.param == "fast" else "httptools")
        return Gateway(url, app, backend)

    return start


def sse_lines(raw: bytes) -> list[str]:
    return [line for line in raw.decode().splitlines() if line.startswith("data:")]


__all__ = ["POLICY", "Gateway", "fake_backend", "json", "sse_lines"]


@pytest.fixture
def backend_app() -> FastAPI:
    return fake_backend()


@pytest.fixture
def test_policy() -> RoutePolicy:
    return POLICY
