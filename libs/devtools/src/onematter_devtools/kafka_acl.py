"""Kafka principals and ACLs from the topic-ownership table (``onematter_events.ownership``).

Each service connects as ``svc-<service>`` and may
* WRITE (and create) only the topics it owns;
* READ (and create) the topics it consumes, with consumer groups under ``<service>.``;
* WRITE the dead-letter topic ``<topic>.dlq`` of each topic it consumes;
* create, without reading or writing, the topics the table lists it as creator of (the catalog creates a
  department's task topic when it learns the department).

Each department connects as ``dept-<code>`` and may READ only ``onematter.tasks.<code>``, with consumer
groups under ``<code>.`` (a dot: codes may contain ``-``, so ``mps-`` would also cover ``mps-x``'s groups).
Everything else is denied (``allow.everyone.if.no.acl.found=false``). Task topics are covered by one
PREFIXED grant (a department added later is written to at once); Kafka has no suffix patterns, so the
dead-letter topics of task topics are granted per known department, and that prefixed grant also lets the
owner write the task topics' ``.dlq`` topics. A topic prefix (tests) prefixes every topic, group and user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from onematter_events.ownership import SERVICES, TOPIC_OWNERSHIP, TopicOwnership
from onematter_events.topics import dead_letter_topic, task_topic

__all__ = [
    "Grant",
    "Principals",
    "department_grants",
    "department_user",
    "plan",
    "service_grants",
    "service_user",
]

Operation = Literal["READ", "WRITE", "CREATE", "DESCRIBE"]
_TASKS = "onematter.tasks."


@dataclass(frozen=True, order=True)
class Grant:
    """ALLOW ``operation`` on a topic or consumer group named ``name`` (or every name starting with it)."""

    resource: Literal["topic", "group"]
    name: str
    operation: Operation
    prefixed: bool = False


@dataclass(frozen=True)
class Principals:
    """Usernames with their grants, for one topic prefix."""

    grants: dict[str, list[Grant]] = field(default_factory=dict)


def service_user(service: str, prefix: str = "") -> str:
    return f"{prefix}svc-{service}"


def department_user(code: str, prefix: str = "") -> str:
    return f"{prefix}dept-{code}"


def _topic(entry: TopicOwnership, prefix: str, operations: Sequence[Operation]) -> list[Grant]:
    if entry.per_department:
        return [Grant("topic", f"{prefix}{_TASKS}", op, prefixed=True) for op in operations]
    return [Grant("topic", entry.topic(prefix), op) for op in operations]


def _dead_letters(entry: TopicOwnership, prefix: str, departments: Iterable[str]) -> list[Grant]:
    topics = (
        [entry.topic(prefix, code) for code in departments] if entry.per_department else [entry.topic(prefix)]
    )
    return [Grant("topic", dead_letter_topic(t), op) for t in topics for op in ("WRITE", "CREATE")]


def service_grants(service: str, *, prefix: str = "", departments: Iterable[str] = ()) -> list[Grant]:
    """What ``svc-<service>`` may do (sorted, without duplicates). Raises ValueError for an unknown one."""
    if service not in SERVICES:
        raise ValueError(f"not a OneMatter service: {service!r}")
    codes = list(departments)
    grants = [Grant("group", f"{prefix}{service}.", "READ", prefixed=True)]
    for entry in TOPIC_OWNERSHIP:
        if entry.owner == service:
            grants += _topic(entry, prefix, ("WRITE", "CREATE"))
        if service in entry.consumers:
            grants += _topic(entry, prefix, ("READ", "CREATE")) + _dead_letters(entry, prefix, codes)
        if service in entry.creators:
            grants += _topic(entry, prefix, ("CREATE", "DESCRIBE"))
    return sorted(set(grants))


def department_grants(code: str, *, prefix: str = "") -> list[Grant]:
    """What ``dept-<code>`` may do: read its own task topic, in groups ``<code>.*``. Raises ValueError for
    a code that is not a department code or that is a service's name (their groups would overlap)."""
    if code in SERVICES:
        raise ValueError(f"department code {code!r} is taken by a service")
    return [
        Grant("topic", task_topic(code, prefix), "READ"),
        Grant("group", f"{prefix}{code}.", "READ", prefixed=True),
    ]


def plan(*, prefix: str = "", departments: Iterable[str] = ()) -> Principals:
    """Every service's and every department's grants for one topic prefix."""
    codes = list(departments)
    grants = {service_user(s, prefix): service_grants(s, prefix=prefix, departments=codes) for s in SERVICES}
    grants |= {department_user(c, prefix): department_grants(c, prefix=prefix) for c in codes}
    return Principals(grants)
