"""The public event contract as an AsyncAPI 3.0 document, generated from :data:`EVENT_CATALOGUE`.

Departments integrate by subscribing to Kafka topics, so this document is what they build against.
It is generated, never edited: ``python -m onematter_events.asyncapi > docs/asyncapi.json`` writes the
committed copy, a test fails when the copy and the code differ, and the gateway serves the same dict at
``GET /asyncapi.json``. The output is deterministic (fixed example values, stable ordering), so a diff of
the committed file is a diff of the contract.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from datetime import datetime
from typing import Any

from pydantic.json_schema import models_json_schema

from onematter_events.catalogue import EVENT_CATALOGUE, EventSpec
from onematter_events.envelope import CloudEvent
from onematter_events.examples import EXAMPLE_TIME, example_payload
from onematter_events.ownership import TOPIC_OWNERSHIP, TopicOwnership
from onematter_events.topics import Stream

__all__ = ["ASYNCAPI_VERSION", "CONTRACT_VERSION", "build_asyncapi", "example_payload", "main", "render"]

ASYNCAPI_VERSION = "3.0.0"
#: Bump the major version when a field changes meaning or disappears; new optional fields are minor.
CONTRACT_VERSION = "1.0.0"
TASKS_CHANNEL = "tasks"
_SCHEMAS = "#/components/schemas/"
_DESCRIPTION = """\
Events of OneMatter (高效办成一件事). Every Kafka message value is a CloudEvents 1.0 document in JSON
(structured mode, no Kafka headers needed); `data` is the payload described per message. The Kafka key
keeps one application's (or matter's, or holder's) events in order. Delivery is at least once: consumers
de-duplicate on the CloudEvent `id`. Payloads only gain optional fields within a major version, so ignore
fields you do not know. A department subscribes to `onematter.tasks.<department code>` only.

The broker authenticates every client (SASL/SCRAM-SHA-512) and authorizes it with ACLs: each channel
names its one writer (`x-onematter-owner`, whose CloudEvents `source` every message carries; consumers
dead-letter any other) and its readers (`x-onematter-readers`). A department's principal
`dept-<department code>` may read its own task topic only, in consumer groups named `<department code>.*`."""
_SCRAM = "#/components/securitySchemes/scram"


def _channel_id(spec: EventSpec) -> str:
    return TASKS_CHANNEL if spec.stream is None else spec.stream.name


def _access(entry: TopicOwnership) -> dict[str, Any]:
    readers = [*entry.consumers, *(["the department {department}"] if entry.per_department else [])]
    return {"x-onematter-owner": entry.owner, "x-onematter-readers": readers}


def _channels() -> dict[str, Any]:
    access = {entry.stream: _access(entry) for entry in TOPIC_OWNERSHIP}
    channels: dict[str, Any] = {
        stream.name: {
            "address": stream.value,
            "title": stream.value,
            "messages": {},
            "description": f"The {stream.name} stream; a few partitions, keyed per event type.",
            **access[stream],
        }
        for stream in Stream
    }
    channels[TASKS_CHANNEL] = {
        "address": "onematter.tasks.{department}",
        "title": "onematter.tasks.<department>",
        "messages": {},
        "description": "One topic per department (并联办理): a department subscribes to exactly its "
        "own tasks. Key: the application id.",
        "parameters": {
            "department": {
                "description": "The department code, e.g. `mps` (公安局), `samr` (市场监督管理局).",
                "examples": ["mps", "samr", "nhc"],
                "location": "$message.payload#/data/department",
            }
        },
        **access[None],
    }
    for spec in EVENT_CATALOGUE.values():
        channels[_channel_id(spec)]["messages"][spec.type] = {"$ref": f"#/components/messages/{spec.type}"}
    return {name: channel for name, channel in channels.items() if channel["messages"]}


def _operations() -> dict[str, Any]:
    """One ``send`` per (producer, channel): OneMatter sends, departments and services receive."""
    operations: dict[str, Any] = {}
    for spec in EVENT_CATALOGUE.values():
        channel = _channel_id(spec)
        operation = operations.setdefault(
            f"{spec.producer}.send.{channel}",
            {
                "action": "send",
                "channel": {"$ref": f"#/channels/{channel}"},
                "summary": f"{spec.producer} publishes on {channel} (transactional outbox, at least once).",
                "messages": [],
            },
        )
        operation["messages"].append({"$ref": f"#/channels/{channel}/messages/{spec.type}"})
    return operations


def _envelope(spec: EventSpec) -> dict[str, Any]:
    return {
        "allOf": [
            {"$ref": f"{_SCHEMAS}CloudEvent"},
            {
                "type": "object",
                "required": ["type", "source", "data"],
                "properties": {
                    "type": {"const": spec.type},
                    "source": {"const": spec.source},
                    "subject": {"type": "string", "description": f"The payload's `{spec.key_field}`."},
                    "data": {"$ref": f"{_SCHEMAS}{spec.payload.__name__}"},
                },
            },
        ]
    }


def _example(spec: EventSpec) -> dict[str, Any]:
    payload = example_payload(spec.payload)
    key = str(payload[spec.key_field])
    event = CloudEvent(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, spec.type)),
        source=spec.source,
        type=spec.type,
        subject=key,
        time=datetime.fromisoformat(EXAMPLE_TIME),
        data=payload,
    )
    return {
        "name": spec.type.removeprefix("gov.onematter."),
        "summary": f"Kafka key: {key}",
        "payload": event.model_dump(mode="json", exclude_none=True),
    }


def _message(spec: EventSpec) -> dict[str, Any]:
    return {
        "name": spec.type,
        "title": spec.type,
        "summary": spec.summary,
        "contentType": "application/json",
        "tags": [{"name": spec.producer}],
        "bindings": {
            "kafka": {
                "bindingVersion": "0.5.0",
                "key": {"type": "string", "description": f"The payload's `{spec.key_field}`."},
            }
        },
        "payload": _envelope(spec),
        "examples": [_example(spec)],
        "x-onematter-payload-model": spec.payload.__name__,
    }


def _schemas() -> dict[str, Any]:
    payloads = {spec.payload for spec in EVENT_CATALOGUE.values()}
    models = sorted(payloads | {CloudEvent}, key=lambda model: model.__name__)
    _, top = models_json_schema(
        [(model, "validation") for model in models], ref_template=_SCHEMAS + "{model}"
    )
    return dict(sorted(top.get("$defs", {}).items()))


#: Realistic values by field name (a newborn's birth, 新生儿出生一件事); other fields get a value by type.
def build_asyncapi() -> dict[str, Any]:
    """The whole AsyncAPI 3.0 document as a JSON-ready dict (deterministic; safe to cache)."""
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:gov:onematter:events",
        "info": {"title": "OneMatter events", "version": CONTRACT_VERSION, "description": _DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "`make run` on one machine: SASL_PLAINTEXT; the passwords are generated "
                "into `data/kafka/credentials/<user>` at the first start.",
                "security": [{"$ref": _SCRAM}],
            },
            "compose": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "The broker inside `deploy/compose.yaml`; your operator "
                "gives you the address and credentials of the real one.",
                "security": [{"$ref": _SCRAM}],
            },
        },
        "channels": _channels(),
        "operations": _operations(),
        "components": {
            "messages": {spec.type: _message(spec) for spec in EVENT_CATALOGUE.values()},
            "schemas": _schemas(),
            "securitySchemes": {
                "scram": {
                    "type": "scramSha512",
                    "description": "SASL/SCRAM-SHA-512 (security.protocol SASL_PLAINTEXT on a private "
                    "network, SASL_SSL elsewhere). Principals: `dept-<department code>` reads "
                    "`onematter.tasks.<department code>` in consumer groups `<department code>.*`; "
                    "`svc-<service>` writes the topics that service owns. Nothing else is allowed.",
                }
            },
        },
    }


def render() -> str:
    """The document as committed in ``docs/asyncapi.json`` (UTF-8, Chinese kept readable)."""
    return json.dumps(build_asyncapi(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m onematter_events.asyncapi",
        description="Print the AsyncAPI document, or check a committed copy.",
    )
    parser.add_argument("--check", metavar="FILE", help="exit 1 if FILE differs from the generated document")
    args = parser.parse_args(argv)
    if args.check:
        with open(args.check, encoding="utf-8") as committed:
            if committed.read() != render():
                print(
                    f"{args.check} is stale; run: python -m onematter_events.asyncapi > {args.check}",
                    file=sys.stderr,
                )
                return 1
        return 0
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
