"""The gateway's HTTP server: uvicorn with :class:`~onematter_gateway.entrypoints.protocol.
GatewayHttpProtocol`, which enforces the edge's limits and sends ``/api/...`` down the fast path.

Why hook uvicorn instead of a server of our own: uvicorn already does the parts that are easy to get
subtly wrong — lifespan, SIGTERM with a graceful drain, pipelining (one request at a time per
connection, in order), flow control, ``Expect: 100-continue``, chunked request bodies, malformed
requests → 400 — and it stays the server of everything that is not ``/api/...`` (health, metrics,
OpenAPI, docs, login, the front-end). Why the fast path at all, and not the ASGI app for ``/api`` too:
measured side by side (bench/README.md), the ASGI round per message, the middleware and the logging
cost the gateway 1.2–1.7× the fast path's CPU per request, and aiohttp's client as the hop 2.5×. Run
with plain ``uvicorn --factory ...:create_app`` the gateway still works,
through the ASGI path, but without the edge's limits: ``python -m onematter_gateway`` (``make run``,
``deploy/``) is how it is served.
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from onematter_gateway.config import GatewaySettings
from onematter_gateway.domain.connections import ConnectionBudget
from onematter_gateway.entrypoints.protocol import Edge, GatewayHttpProtocol

__all__ = ["protocol_for", "run"]


def protocol_for(app: FastAPI) -> type[GatewayHttpProtocol]:
    """A protocol class bound to ``app``'s settings and fast path (uvicorn's ``http=``): one per server,
    since the connection budget counts that server's connections."""
    settings: GatewaySettings = app.state.settings
    proxies = app.state.trusted_proxies
    edge = Edge(
        limits=settings.edge_limits(),
        budget=ConnectionBudget(
            total=settings.max_connections,
            per_address=settings.max_connections_per_address,
            exempt=proxies.trusts,
        ),
        proxies=proxies,
        fast_path=app.state.fast_path,
    )
    return type("GatewayHttpProtocol", (GatewayHttpProtocol,), {"edge": edge})


def run(app: FastAPI, *, host: str, port: int) -> None:
    """Serve ``app`` until SIGTERM/SIGINT (then finish in-flight requests, at most 20 s).

    uvicorn's own limits are off where the protocol has better ones: ``limit_concurrency`` (the
    connection budget), its keep-alive timer (the once-a-second watch) and its ``X-Forwarded-For``
    handling (``TRUSTED_PROXIES``: the peer address stays the peer's, the proxy decides the client's).
    """
    uvicorn.run(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http=protocol_for(app),
        ws="none",
        timeout_keep_alive=int(app.state.settings.keepalive_idle_seconds) or 1,
        limit_concurrency=None,
        proxy_headers=False,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=20,
        log_config=None,
    )  # logging is configured by create_app
