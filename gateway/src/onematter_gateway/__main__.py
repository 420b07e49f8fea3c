"""``python -m onematter_gateway``: the gateway under uvicorn with the settings it is measured with.

uvloop + httptools; idle keep-alive connections closed after 5 s and at most ``--limit-concurrency``
open at once (503 beyond), so slow or idle clients cannot hold the single worker's capacity; client
bodies that stall are cut off by the proxy (``BODY_READ_TIMEOUT_SECONDS``). ``X-Forwarded-For`` is not
trusted unless ``--forwarded-allow-ips`` names the load balancer, since the per-IP rate limit keys on it.
"""

from __future__ import annotations

import argparse

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m onematter_gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--limit-concurrency", type=int, default=2000)
    parser.add_argument("--forwarded-allow-ips", default=None,
                        help="the load balancer's address, whose X-Forwarded-For is then trusted")
    args = parser.parse_args()
    uvicorn.run("onematter_gateway.entrypoints.app:create_app", factory=True, host=args.host,
                port=args.port, loop="uvloop", http="httptools", timeout_keep_alive=5,
                limit_concurrency=args.limit_concurrency,
                proxy_headers=args.forwarded_allow_ips is not None,
                forwarded_allow_ips=args.forwarded_allow_ips, access_log=False, server_header=False)


if __name__ == "__main__":
    main()
