"""A TCP round-robin balancer in front of a service's replicas: the local stand-in for a Kubernetes
Service (kube-proxy balances connections, not requests, and so does this).

``python -m onematter_devtools.balancer LISTEN=BACKEND,BACKEND ...`` (ports on 127.0.0.1), e.g.
``8102=41001,41002``. Each accepted connection goes to the next backend in turn; a backend that refuses
the connection (a replica that crashed or has not bound its port yet) is skipped for that connection, as
a Service drops an endpoint that is not ready. When every backend refuses, the client's connection is
closed at once, which a caller sees as "nothing listening" (the gateway answers 503).

Why our own: no load balancer (haproxy, nginx, envoy) can be assumed on a developer's machine, and the
fault tests need one that starts in milliseconds and never outlives the stack. Used only by
:class:`onematter_devtools.launcher.System` when it runs more than one replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
from collections.abc import Sequence

__all__ = ["Balancer", "main", "parse_routes"]

_HOST = "127.0.0.1"
_CONNECT_TIMEOUT = 1.0
_CHUNK = 64 * 1024


def parse_routes(args: Sequence[str]) -> dict[int, list[int]]:
    """``["8102=41001,41002"]`` → ``{8102: [41001, 41002]}``; ValueError on anything else."""
    routes: dict[int, list[int]] = {}
    for arg in args:
        listen, _, backends = arg.partition("=")
        ports = [int(p) for p in backends.split(",") if p]
        if not ports:
            raise ValueError(f"{arg!r}: expected LISTEN=BACKEND[,BACKEND...]")
        routes[int(listen)] = ports
    return routes


class Balancer:
    """Round-robin over ``backends`` (ports on 127.0.0.1) for the connections accepted on ``listen``."""

    def __init__(self, listen: int, backends: Sequence[int]) -> None:
        self.listen, self.backends = listen, list(backends)
        self._turn = itertools.cycle(range(len(self.backends)))

    async def serve(self) -> asyncio.Server:
        return await asyncio.start_server(self._handle, _HOST, self.listen, reuse_address=True)

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        """The next backend in turn that accepts, trying each at most once; None when none does."""
        first = next(self._turn)
        for offset in range(len(self.backends)):
            port = self.backends[(first + offset) % len(self.backends)]
            with contextlib.suppress(OSError, TimeoutError):
                return await asyncio.wait_for(asyncio.open_connection(_HOST, port), _CONNECT_TIMEOUT)
        return None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream = await self._connect()
        if upstream is None:
            writer.close()
            return
        up_reader, up_writer = upstream
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            for end in (writer, up_writer):
                with contextlib.suppress(OSError, RuntimeError):
                    end.close()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy until end of stream, then pass the end on (half-close); a broken connection (a replica
    killed) closes ``sink`` at once, so the other side sees it broken too."""
    try:
        while chunk := await source.read(_CHUNK):
            sink.write(chunk)
            await sink.drain()
        if sink.can_write_eof():
            sink.write_eof()
    except OSError:
        sink.close()


async def _run(routes: dict[int, list[int]]) -> None:
    """Serve until the process is killed: SIGTERM's default action ends it at once, and a balancer has
    nothing to flush (a client cut off mid-connection sees it closed, as when a proxy restarts)."""
    servers = [await Balancer(listen, backends).serve() for listen, backends in routes.items()]
    await asyncio.gather(*(server.serve_forever() for server in servers))


def main(argv: Sequence[str] | None = None) -> int:
    routes = parse_routes(sys.argv[1:] if argv is None else argv)
    asyncio.run(_run(routes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
