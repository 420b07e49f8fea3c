"""``python -m onematter_gateway``: the gateway under uvicorn with the settings it is measured with.

uvloop + httptools, with the gateway's own protocol class: the edge's limits (request head size and
deadline, body rate and deadline, connections per address and in total, idle keep-alive) and ``/api/...``
on the fast path, see :mod:`onematter_gateway.entrypoints.protocol`. Every limit is a setting (an
environment variable, gateway/README.md lists them), as is ``TRUSTED_PROXIES``, the proxies whose
``X-Forwarded-For`` is believed. SIGTERM drains in-flight requests for up to 20 s.
"""

from __future__ import annotations

import argparse

from onematter_gateway.entrypoints.app import create_app
from onematter_gateway.entrypoints.server import run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m onematter_gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    run(create_app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
