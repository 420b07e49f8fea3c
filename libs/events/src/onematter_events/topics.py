"""Kafka topic names. Few topics, named by stream; one task topic per department.

The message key is the application id (or the matter code on the catalog stream), so one application's
events stay in order within a topic. Tests isolate themselves with a prefix; production uses none.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "DEAD_LETTER_SUFFIX",
    "Stream",
    "dead_letter_topic",
    "task_topic",
    "task_topic_pattern",
    "topic_name",
]

DEAD_LETTER_SUFFIX = ".dlq"
_DEPARTMENT_CODE = re.compile(r"^[a-z][a-z0-9-]{1,31}$")


class Stream(StrEnum):
    applications = "onematter.applications"
    catalog = "onematter.catalog"
    materials = "onematter.materials"
    notifications = "onematter.notifications"
    hotline = "onematter.hotline"


def topic_name(stream: Stream, prefix: str = "") -> str:
    return f"{prefix}{stream.value}"


def task_topic(department_code: str, prefix: str = "") -> str:
    """``onematter.tasks.<department code>`` — the one topic a department subscribes to."""
    if not _DEPARTMENT_CODE.match(department_code):
        raise ValueError(f"not a department code: {department_code!r}")
    return f"{prefix}onematter.tasks.{department_code}"


def task_topic_pattern(prefix: str = "") -> str:
    """A regex matching every department's task topic (for platform consumers, not departments)."""
    return "^" + re.escape(f"{prefix}onematter.tasks.") + r"[a-z][a-z0-9-]*$"


def dead_letter_topic(topic: str) -> str:
    return topic + DEAD_LETTER_SUFFIX
