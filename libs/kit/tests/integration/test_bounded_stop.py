"""A service stops promptly even when Kafka stops answering (issue 14: a lifespan shutdown ran past 5 s).

aiokafka's ``stop()`` waits on the broker — a consumer's LeaveGroup (40 s request timeout), a producer's
in-flight sends (15 s) — so a paused broker makes an unbounded stop hang. The broker here is a real one of
this test's own (the shared one is never paused), frozen with SIGSTOP while a consumer is in its group
and the relay has a send in flight.
"""

import asyncio
import logging
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from onematter_devtools.kafka import KafkaBroker
from onematter_devtools.launcher import free_port
from onematter_events import Stream, new_event, topic_name
from onematter_events.materials import MATERIAL_UPLOADED, MaterialUploaded
from onematter_kit.runtime import ConsumerSpec, ServiceRuntime
from onematter_kit.settings import ServiceSettings
from onematter_testkit import wait_for

pytestmark = pytest.mark.integration

MIGRATIONS = Path(__file__).parent / "kit_migrations"
#: Each Kafka client's bound in this test; the runtime's whole stop may take one second more.
STOP_BOUND = 1.0


def _upload(n: int):
    return new_event(
        MATERIAL_UPLOADED,
        MaterialUploaded(
            material_id=f"m{n}",
            owner_id="owner",
            material_type="photo",
            sha256="0" * 64,
            size=n,
            media_type="image/png",
            uploaded_at=datetime.now(UTC),
        ),
    )


async def _emit(runtime: ServiceRuntime, event) -> None:
    async with runtime.uow() as uow:
        uow.emit(event)
        await uow.commit()


def _runtime(broker: KafkaBroker, tmp_path: Path, prefix: str, applied: list[str]) -> ServiceRuntime:
    async def apply(event, uow):
        applied.append(event.id)

    topic = topic_name(Stream.materials, prefix)
    settings = ServiceSettings(
        service_name="kit-stop",
        environment="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/kit-stop.db",
        kafka_bootstrap_servers=broker.bootstrap,
        kafka_topic_prefix=prefix,
        kafka_stop_timeout=STOP_BOUND,
        # the private broker has logins of its own: its super-user, not the shared test broker's
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_username=broker.admin.username,
        kafka_password=broker.admin.password,
    )
    consumer = ConsumerSpec(name="uploads", handlers={MATERIAL_UPLOADED: apply}, topics=[topic])
    return ServiceRuntime(settings=settings, migrations=MIGRATIONS, topics=[topic], consumers=[consumer])


async def test_stop_returns_within_its_bound_while_the_broker_does_not_answer(tmp_path, topic_prefix, caplog):
    caplog.set_level(logging.WARNING, logger="onematter")
    broker = KafkaBroker(
        data_dir=tmp_path / "kafka", port=free_port(), controller_port=free_port(), fresh=True
    )
    await asyncio.to_thread(broker.start)
    pid = int(broker.pid_file.read_text())
    applied: list[str] = []
    runtime = _runtime(broker, tmp_path, topic_prefix, applied)
    try:
        await runtime.start()
        first = _upload(1)
        await _emit(runtime, first)
        # the consumer is in its group and the relay's producer is connected
        await wait_for(lambda: _true(first.id in applied), timeout=60, message="the first event consumed")

        os.kill(pid, signal.SIGSTOP)
        await _emit(runtime, _upload(2))  # a send the paused broker never acknowledges
        await wait_for(lambda: _true(runtime.relay.in_flight == 1), timeout=10, message="a send in flight")

        started = time.monotonic()
        await runtime.stop()
        took = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
        await asyncio.to_thread(broker.stop)

    assert took < STOP_BOUND + 2, f"stop() took {took:.1f} s while the broker was paused"
    cut = [r for r in caplog.records if r.getMessage() == "Kafka client stop cut short"]
    assert {r.client for r in cut} >= {"outbox producer", f"{topic_prefix}kit-stop.uploads"}, (
        "the paused broker did not hold any stop up, so this test proved nothing"
    )


async def _true(value: bool) -> bool:
    return value
