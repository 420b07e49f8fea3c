"""The OneMatter event catalogue: CloudEvents envelope, topics and every event's payload model."""

from onematter_events.catalogue import EVENT_CATALOGUE, EventSpec, UnknownEventType
from onematter_events.envelope import CloudEvent, EventPayload, MalformedEvent
from onematter_events.lookup import new_event, parse_payload, spec_for, topic_for
from onematter_events.ownership import (
    SERVICE_SOURCES,
    TOPIC_OWNERSHIP,
    TopicOwnership,
    department_of,
    owner_source,
    ownership_of,
)
from onematter_events.topics import Stream, dead_letter_topic, task_topic, task_topic_pattern, topic_name

__all__ = [
    "EVENT_CATALOGUE",
    "SERVICE_SOURCES",
    "TOPIC_OWNERSHIP",
    "CloudEvent",
    "EventPayload",
    "EventSpec",
    "MalformedEvent",
    "Stream",
    "TopicOwnership",
    "UnknownEventType",
    "dead_letter_topic",
    "department_of",
    "new_event",
    "owner_source",
    "ownership_of",
    "parse_payload",
    "spec_for",
    "task_topic",
    "task_topic_pattern",
    "topic_for",
    "topic_name",
]
