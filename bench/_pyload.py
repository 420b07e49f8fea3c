"""A bounded Python load generator (fallback when wrk is missing):
``url header prefix tokens-file connections seconds``; each request carries the next user's token.

Prints JSON ``{rps, p50_ms, p99_ms, errors}``. Runs in its own process so it does not share a loop (or a
GIL) with the servers it measures.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from pathlib import Path

import aiohttp


async def run(
    url: str, header: str, prefix: str, tokens: list[str], connections: int, seconds: int
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    values = itertools.cycle([prefix + token for token in tokens])
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            while (started := time.perf_counter()) < deadline and len(latencies) < 5_000_000:
                async with session.get(url, headers={header: next(values)}) as response:
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
    url, header, prefix, tokens_file = sys.argv[1:5]
    connections, seconds = int(sys.argv[5]), int(sys.argv[6])
    tokens = Path(tokens_file).read_text().split()
    print(json.dumps(asyncio.run(run(url, header, prefix, tokens, connections, seconds))))
