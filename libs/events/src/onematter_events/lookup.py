"""Looking up the one event catalogue by type: build, route and parse events of catalogued types only.

Kept apart from :mod:`onematter_events.catalogue`, which holds the table itself.
"""

from __future__ import annotations

from onematter_events.catalogue import EVENT_CATALOGUE, EventSpec, UnknownEventType
from onematter_events.envelope import CloudEvent, EventPayload
from onematter_events.topics import task_topic, topic_name

__all__ = ["new_event", "parse_payload", "spec_for", "topic_for"]


def spec_for(event_type: str) -> EventSpec:
    try:
        return EVENT_CATALOGUE[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None


def new_event(event_type: str, payload: EventPayload, *, subject: str | None = None) -> CloudEvent:
    """A CloudEvent of a catalogued type; the payload must be that type's model."""
    spec = spec_for(event_type)
    if not isinstance(payload, spec.payload):
        raise TypeError(f"{event_type} carries {spec.payload.__name__}, not {type(payload).__name__}")
    return CloudEvent(
        source=spec.source,
        type=event_type,
        subject=subject or str(getattr(payload, spec.key_field)),
        data=payload.model_dump(mode="json"),
    )


def topic_for(event: CloudEvent, prefix: str = "") -> tuple[str, str]:
    """``(topic, key)`` for an event of a catalogued type."""
    spec = spec_for(event.type)
    key = str(event.data[spec.key_field])
    if spec.stream is None:
        return task_topic(str(event.data["department"]), prefix), key
    return topic_name(spec.stream, prefix), key


def parse_payload(event: CloudEvent) -> EventPayload:
    """The typed payload of ``event``; raises ``UnknownEventType`` or pydantic's ``ValidationError``."""
    return spec_for(event.type).payload.model_validate(event.data)
