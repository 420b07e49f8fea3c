"""What a department and a service may do on the compose broker, tried with their own Kafka logins.

Runs *inside* the compose network (``python -c <this file's text> ...`` in the kafka-init image, which
has confluent-kafka and the password files at ``/run/secrets/kafka``) and prints one JSON object:

- ``own``: the type of the first event on ``onematter.tasks.<department>`` whose ``acceptance_number``
  is the given one, read as ``dept-<department>`` in a group ``<department>.*`` (or the error's name);
- ``other``: what the same login gets on ``onematter.tasks.<other>`` (an error's name, or an event type);
- ``write``: what ``svc-<service>`` gets producing one record to ``<foreign topic>``.

Usage: ``<bootstrap> <credentials dir> <department> <other department> <acceptance number> <service>
<foreign topic>``. Standard library and confluent-kafka only.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from typing import Any

from confluent_kafka import Consumer, Producer


def _login(bootstrap: str, folder: str, user: str) -> dict[str, Any]:
    with open(f"{folder}/{user}", encoding="utf-8") as file:
        password = file.read().strip()
    return {
        "bootstrap.servers": bootstrap,
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": user,
        "sasl.password": password,
        "log_level": 0,
    }


def read(login: dict[str, Any], code: str, topic: str, number: str, *, timeout: float = 60) -> str:
    """The type of the event for ``number`` on ``topic``, or the name of the first error."""
    group = f"{code}.compose-test-{uuid.uuid4().hex[:8]}"
    consumer = Consumer({**login, "group.id": group, "auto.offset.reset": "earliest"})
    consumer.subscribe([topic])
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error() is not None:
                return str(message.error().name())
            event = json.loads(message.value() or b"{}")
            if event.get("data", {}).get("acceptance_number") == number:
                return str(event["type"])
        return "timeout"
    finally:
        consumer.close()


def write(login: dict[str, Any], topic: str) -> str:
    """``delivered`` or the name of the error producing one record to ``topic``."""
    outcome: list[str] = []
    producer = Producer(login)
    producer.produce(topic, b"{}", on_delivery=lambda e, _: outcome.append(e.name() if e else "delivered"))
    producer.flush(60)
    return outcome[0] if outcome else "timeout"


def main(argv: list[str]) -> int:
    bootstrap, folder, own, other, number, service, foreign = argv
    department = _login(bootstrap, folder, f"dept-{own}")
    result = {
        "own": read(department, own, f"onematter.tasks.{own}", number),
        "other": read(department, own, f"onematter.tasks.{other}", number, timeout=30),
        "write": write(_login(bootstrap, folder, f"svc-{service}"), foreign),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
