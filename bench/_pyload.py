"""A bounded Python load generator (fallback when wrk is missing): ``url header connections seconds``.

Prints JSON ``{rps, p50_ms, p99_ms, errors}``. Runs in its own process so it does not share a loop (or a
GIL) with the servers it measures.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import aiohttp


async def run(url: str, header: str, connections: int, seconds: int) -> dict[str, float]:
    name, _, value = header.partition(": ")
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector, headers={name: value}) as session:

        async def worker() -> None:
            nonlocal errors
            while (started := time.perf_counter()) < deadline and len(latencies) < 5_000_000:
                async with session.get(url) as response:
                    await response.read()
                    errors += response.status >= 300
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(connections)))
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "errors": float(errors),
    }


if __name__ == "__main__":
    url, header, connections, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(asyncio.run(run(url, header, connections, seconds))))
