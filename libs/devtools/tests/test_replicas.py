"""Replicas in the launcher, the balancer in front of them and the statement-log reading of the probes."""

from __future__ import annotations

import asyncio
import os
import socket
from datetime import datetime
from pathlib import Path

import pytest
from onematter_devtools.balancer import Balancer, parse_routes
from onematter_devtools.launcher import System, free_port
from onematter_devtools.probes import Publishing, local_ports, overlapping, publishing_transactions


def test_two_replicas_give_each_service_but_the_gateway_two_instances_on_ports_of_their_own(
    tmp_path: Path,
) -> None:
    system = System(kafka_bootstrap="127.0.0.1:9", data_dir=tmp_path, replicas=2)

    assert system.instances("acceptance") == ["acceptance-1", "acceptance-2"]
    assert system.instances("matter-catalog") == ["matter-catalog-1", "matter-catalog-2"]
    assert system.instances("gateway") == ["gateway"]
    ports = list(system.instance_ports.values()) + [system.ports[s] for s in ("acceptance", "material")]
    assert len(set(ports)) == len(ports)


def test_a_replica_runs_as_its_service_with_the_service_address_of_the_others(tmp_path: Path) -> None:
    system = System(kafka_bootstrap="127.0.0.1:9", data_dir=tmp_path, replicas=2)

    env = system.env_for("acceptance-2")

    assert env["SERVICE_NAME"] == "acceptance"  # the same consumer groups as acceptance-1
    assert env["DATABASE_URL"] == system.database_urls["acceptance"]
    assert env["MATERIAL_URL"] == system.url("material")  # the balancer, not one replica


def test_one_replica_is_the_system_as_before(tmp_path: Path) -> None:
    system = System(kafka_bootstrap="127.0.0.1:9", data_dir=tmp_path)

    assert system.instances("acceptance") == ["acceptance"]
    assert system.instance_ports["acceptance"] == system.ports["acceptance"] == 8102
    assert not system.replicated


def test_routes_are_parsed_and_nonsense_is_refused() -> None:
    assert parse_routes(["8102=41001,41002", "8103=41003"]) == {8102: [41001, 41002], 8103: [41003]}
    with pytest.raises(ValueError):
        parse_routes(["8102="])


async def _echo_server(name: bytes) -> tuple[asyncio.Server, int]:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.write(name)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def _ask(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"?")
    await writer.drain()
    answer = await reader.read(100)
    writer.close()
    return answer


async def test_the_balancer_takes_turns_and_skips_a_backend_that_refuses() -> None:
    one, one_port = await _echo_server(b"one")
    two, two_port = await _echo_server(b"two")
    dead_port = free_port()  # nothing listens there: a crashed replica
    listen = free_port()
    server = await Balancer(listen, [one_port, two_port, dead_port]).serve()
    try:
        answers = [await _ask(listen) for _ in range(6)]
    finally:
        for s in (server, one, two):
            s.close()

    # Turns one, two, dead (→ the next in order: one), one, two, dead (→ one): nothing is refused.
    assert answers == [b"one", b"two", b"one", b"one", b"two", b"one"]


def test_publishing_transactions_are_read_from_the_statement_log_per_backend(tmp_path: Path) -> None:
    log = tmp_path / "postgres.log"
    head = "2026-12-01 04:00:00.0{ms:02d} UTC [{pid}] {db} LOG:  duration: 0.1 ms  "
    lines = [
        (1, 11, "svc_acceptance", "execute s1: SELECT outbox_messages.id\n\tFROM outbox_messages"),
        (1, 11, "", "\tWHERE outbox_messages.published_at IS NULL FOR UPDATE SKIP LOCKED"),  # continued
        (2, 12, "svc_acceptance", "execute s2: SELECT count(*) FROM outbox_messages"),
        (2, 12, "", "\tWHERE outbox_messages.published_at IS NULL"),  # a backlog count: no mark
        (3, 12, "svc_acceptance", "statement: COMMIT"),
        (4, 99, "svc_material", "statement: COMMIT"),
        (9, 11, "svc_acceptance", "execute s3: UPDATE outbox_messages SET published_at=$1"),
        (10, 11, "svc_acceptance", "statement: COMMIT"),
    ]
    log.write_text(
        "".join(
            (head.format(ms=ms, pid=pid, db=db) if db else "") + text + "\n" for ms, pid, db, text in lines
        )
    )

    found = publishing_transactions(log, "svc_acceptance")

    assert [(t.backend, t.start.microsecond, t.end.microsecond) for t in found] == [(11, 1000, 10000)]


def test_publishing_at_the_same_time_on_two_connections_is_an_overlap_and_one_after_the_other_is_not() -> (
    None
):
    def at(ms: int) -> datetime:
        return datetime(2026, 12, 1, 4, 0, 0, ms * 1000)

    a, b = Publishing(1, at(1), at(5)), Publishing(2, at(5), at(9))  # b claimed as a committed
    c = Publishing(3, at(8), at(12))  # c claimed while b was publishing

    assert overlapping([a, b]) == []
    assert overlapping([a, b, c]) == [(b, c)]


def test_the_local_port_of_a_connection_this_process_holds_is_among_its_local_ports() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    with server, socket.create_connection(server.getsockname()) as client:
        assert client.getsockname()[1] in local_ports(os.getpid())
        assert server.getsockname()[1] in local_ports(os.getpid())  # listening sockets too
