"""A running stack read from the outside, for fault tests: a replica's request counters (its open
``/metrics``), the consumer groups' assignment (Kafka's admin API) and the outbox relays' publishing
transactions (PostgreSQL's statement log). Nothing here asks a service about its own internals."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

# The documented import path; the package's stubs do not re-export the name explicitly.
from confluent_kafka.admin import AdminClient  # type: ignore[attr-defined, unused-ignore]

from onematter_devtools.kafka import ADMIN, KafkaBroker

__all__ = [
    "LOG_PREFIX",
    "GroupState",
    "Publishing",
    "consumer_groups",
    "local_ports",
    "overlapping",
    "publishing_transactions",
    "requests_served",
]

_REQUESTS = re.compile(r'^onematter_http_requests_total\{[^}]*route="([^"]*)"[^}]*\} ([0-9.e+]+)$', re.M)


def requests_served(url: str, *, route_part: str) -> int:
    """Requests one process answered (any status) on routes containing ``route_part``, from the
    ``onematter_http_requests_total`` counter of its ``/metrics`` (blocking)."""
    with urllib.request.urlopen(f"{url}/metrics", timeout=5) as response:  # noqa: S310 - our own URL
        text = response.read().decode()
    return int(sum(float(value) for route, value in _REQUESTS.findall(text) if route_part in route))


@dataclass(frozen=True)
class GroupState:
    """One consumer group: its state and, per member id, the ``topic:partition`` it was assigned."""

    group: str
    state: str
    members: dict[str, frozenset[str]]


def consumer_groups(kafka: KafkaBroker, prefix: str) -> list[GroupState]:
    """Every consumer group whose id starts with ``prefix``, described through the admin API (blocking)."""
    config = kafka.credentials.login(ADMIN).librdkafka_config(kafka.bootstrap)
    admin = AdminClient({**config, "log_level": 3})
    listed = admin.list_consumer_groups().result(timeout=15)
    ids = sorted(g.group_id for g in listed.valid if g.group_id.startswith(prefix))
    if not ids:
        return []
    described = admin.describe_consumer_groups(ids)
    groups = []
    for group_id in ids:
        description = described[group_id].result(timeout=15)
        members = {
            m.member_id: frozenset(f"{tp.topic}:{tp.partition}" for tp in m.assignment.topic_partitions)
            for m in description.members
        }
        groups.append(GroupState(group_id, str(description.state).rsplit(".", 1)[-1], members))
    return groups


def local_ports(pid: int) -> set[int]:
    """The local ports of the TCP sockets process ``pid`` holds (Linux ``/proc``): its client side of
    each connection, which a server sees as the client's port (``pg_stat_activity.client_port``)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:  # closed while we looked
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


# --- the relays' publishing transactions, from PostgreSQL's log ---------------------------------------

#: ``log_line_prefix`` while the test records: time to the millisecond, backend pid, database.
LOG_PREFIX = "%m [%p] %d "
_RECORD = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \S+ \[(\d+)\] (\S+) ")


@dataclass
class Publishing:
    """One relay transaction that claimed outbox rows and marked them sent: from the claim's end to
    the commit's end (log times, ms), on one database backend (one connection of one replica)."""

    backend: int
    start: datetime
    end: datetime


@dataclass
class _Open:
    claimed: datetime | None = None
    marked: bool = False
    statements: list[str] = field(default_factory=list)


def publishing_transactions(log_file: Path, database: str, *, since: int = 0) -> list[Publishing]:
    """The publishing transactions in ``database``'s statements logged after byte ``since`` of the log
    (the cluster must log every statement with :data:`LOG_PREFIX`). A claim is a SELECT of unpublished
    outbox rows, the mark an ``UPDATE outbox_messages`` of ``published_at``; the transaction ends at
    its COMMIT or ROLLBACK."""
    with log_file.open("rb") as log:
        log.seek(since)
        text = log.read().decode(errors="replace")
    open_by_backend: dict[int, _Open] = {}
    found: list[Publishing] = []
    for when, backend, text_of in _records(text.splitlines(), database):
        current = open_by_backend.setdefault(backend, _Open())
        if "FROM outbox_messages" in text_of and "published_at IS NULL" in text_of:
            current.claimed = current.claimed or when
        elif "UPDATE outbox_messages" in text_of and "published_at" in text_of:
            current.marked = current.marked or current.claimed is not None
        elif re.search(r"statement: (COMMIT|ROLLBACK)", text_of):
            if current.claimed is not None and current.marked:
                found.append(Publishing(backend, current.claimed, when))
            open_by_backend[backend] = _Open()
    return found


def _records(lines: Iterable[str], database: str) -> Iterable[tuple[datetime, int, str]]:
    """(time, backend pid, whole record) per log record of ``database``; continuation lines (a
    multi-line statement) belong to the record above them."""
    head: tuple[datetime, int, str] | None = None
    parts: list[str] = []
    for line in lines:
        if match := _RECORD.match(line):
            if head is not None and head[2] == database:
                yield head[0], head[1], "\n".join(parts)
            # Naive on purpose: times of one server's log, only compared with each other.
            when = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S.%f")
            head, parts = (when, int(match[2]), match[3]), [line]
        else:
            parts.append(line)
    if head is not None and head[2] == database:
        yield head[0], head[1], "\n".join(parts)


def overlapping(transactions: list[Publishing]) -> list[tuple[Publishing, Publishing]]:
    """Pairs of publishing transactions of different backends that ran at the same time (one began
    before the other had ended; equal milliseconds count as one after the other)."""
    ordered = sorted(transactions, key=lambda t: (t.start, t.end))
    pairs = []
    for i, first in enumerate(ordered):
        for later in ordered[i + 1 :]:
            if later.start >= first.end:
                break
            if later.backend != first.backend:
                pairs.append((first, later))
    return pairs
