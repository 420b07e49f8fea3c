"""Who may write each topic and who reads it: the table behind the broker's ACLs and the consumers' check.

One service owns (alone writes) each topic; the services listed as consumers read it; on a department's
task topic ``onematter.tasks.<code>`` that department reads too, and nothing else. The broker enforces
the table (``onematter_devtools.kafka_acl`` turns it into SCRAM principals and ACLs), and every consumer
refuses an event whose CloudEvents ``source`` is not the owner's (:func:`owner_source`), so a forged event
needs a stolen service credential *and* still names its real origin. Guard tests keep the table equal to
the event catalogue (owners) and to the services' consumer groups (consumers). Source of the rule:
issue 16 ("Kafka with authentication and ACLs"), least privilege.
"""

from __future__ import annotations

from dataclasses import dataclass

from onematter_events import applications, hotline, materials, matters, notifications
from onematter_events.topics import DEAD_LETTER_SUFFIX, Stream, task_topic

__all__ = [
    "SERVICES",
    "SERVICE_SOURCES",
    "TOPIC_OWNERSHIP",
    "TopicOwnership",
    "department_of",
    "owner_source",
    "ownership_of",
]

#: The services that talk to Kafka (the gateway does not), by the name they run under (``SERVICE_NAME``).
SERVICES = ("matter-catalog", "acceptance", "material", "notification", "hotline")
#: The CloudEvents ``source`` each service stamps on what it publishes.
SERVICE_SOURCES: dict[str, str] = {
    "matter-catalog": matters.SOURCE,
    "acceptance": applications.SOURCE,
    "material": materials.SOURCE,
    "notification": notifications.SOURCE,
    "hotline": hotline.SOURCE,
}
_ROOT = "onematter."
_TASKS = "onematter.tasks."


@dataclass(frozen=True, slots=True)
class TopicOwnership:
    """One stream topic, or (``stream is None``) every department's task topic."""

    stream: Stream | None
    owner: str
    consumers: tuple[str, ...]
    #: Services that may create the topic without reading or writing it (the catalog learns departments).
    creators: tuple[str, ...] = ()

    @property
    def per_department(self) -> bool:
        """True for ``onematter.tasks.<code>``: the department of the topic reads it too."""
        return self.stream is None

    def topic(self, prefix: str = "", department: str | None = None) -> str:
        """The topic name; task topics need ``department``."""
        if self.stream is not None:
            return f"{prefix}{self.stream.value}"
        if department is None:
            raise ValueError("a task topic needs its department code")
        return task_topic(department, prefix)


TOPIC_OWNERSHIP: tuple[TopicOwnership, ...] = (
    TopicOwnership(
        Stream.catalog, owner="matter-catalog", consumers=("acceptance", "notification", "hotline")
    ),
    TopicOwnership(Stream.applications, owner="acceptance", consumers=("material", "notification")),
    TopicOwnership(
        None, owner="acceptance", consumers=("material", "notification"), creators=("matter-catalog",)
    ),
    TopicOwnership(Stream.materials, owner="material", consumers=("notification",)),
    TopicOwnership(Stream.notifications, owner="notification", consumers=()),
    TopicOwnership(Stream.hotline, owner="hotline", consumers=("notification",)),
)


def _unprefixed(topic: str) -> str:
    # A test prefix ("t1a2b3c4.") or none: the OneMatter name starts at the last "onematter." (stream
    # names and department codes contain no such part, so a prefix cannot fake one).
    at = topic.rfind(_ROOT)
    return topic[at:] if at >= 0 else topic


def ownership_of(topic: str) -> TopicOwnership | None:
    """The entry for ``topic`` (any test prefix ignored), or None for a topic OneMatter does not own —
    including dead-letter topics, which carry what was refused, not events to apply."""
    name = _unprefixed(topic)
    if name.endswith(DEAD_LETTER_SUFFIX):
        return None
    if name.startswith(_TASKS):
        return next(entry for entry in TOPIC_OWNERSHIP if entry.per_department)
    return next((entry for entry in TOPIC_OWNERSHIP if entry.stream == name), None)


def owner_source(topic: str) -> str | None:
    """The CloudEvents ``source`` every event on ``topic`` must carry, or None for an unowned topic."""
    entry = ownership_of(topic)
    return SERVICE_SOURCES[entry.owner] if entry is not None else None


def department_of(topic: str) -> str | None:
    """The department code of a task topic (``onematter.tasks.mps`` → ``mps``), else None."""
    name = _unprefixed(topic)
    if not name.startswith(_TASKS) or name.endswith(DEAD_LETTER_SUFFIX):
        return None
    return name.removeprefix(_TASKS)
