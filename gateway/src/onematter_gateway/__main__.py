"""``python -m onematter_gateway``: the gateway under uvicorn with the settings it is measured with.

uvloop + httptools, with the gateway's own protocol class (``/api/...`` on the fast path, see
:mod:`onematter_gateway.entrypoints.server`); a request head must arrive within
``HEADER_READ_TIMEOUT_SECONDS`` (408 otherwise); SIGTERM drains in-flight requests for up to 20 s; idle
keep-alive connections are closed after 5 s and at most ``--limit-concurrency`` are open at once (503
beyond), so slow or idle clients cannot hold the single worker's capacity; client bodies that stall are
cut off by the proxy (``BODY_READ_TIMEOUT_SECONDS``). ``X-Forwarded-For`` is not
trusted unless ``--forwarded-allow-ips`` names the load balancer, since the per-IP rate limit keys on it.
"""

from __future__ import annotations

import argparse

from onematter_gateway.entrypoints.app import create_app
from onematter_gateway.entrypoints.server import run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m onematter_gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--limit-concurrency", type=int, default=2000)
    parser.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="the load balancer's address, whose X-Forwarded-For is then trusted",
    )
    args = parser.parse_args()
    run(
        create_app(),
        host=args.host,
        port=args.port,
        limit_concurrency=args.limit_concurrency,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )


if __name__ == "__main__":
    main()
