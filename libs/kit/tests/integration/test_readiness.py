"""Readiness against the real test broker: a Kafka answer holds for a grace period, a dead broker does not."""

from pathlib import Path

import pytest
from onematter_devtools.launcher import free_port
from onematter_kit.runtime import KAFKA_READY_GRACE, ServiceRuntime
from onematter_kit.settings import ServiceSettings
from onematter_testkit import wait_for

pytestmark = pytest.mark.integration
MIGRATIONS = Path(__file__).parent / "kit_migrations"


def _runtime(bootstrap: str, tmp_path: Path) -> ServiceRuntime:
    settings = ServiceSettings(
        service_name="kit-ready",
        environment="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/kit-ready.db",
        kafka_bootstrap_servers=bootstrap,
    )
    return ServiceRuntime(settings=settings, migrations=MIGRATIONS)


async def test_a_broker_nobody_listens_on_is_not_ready(tmp_path):
    runtime = _runtime(f"127.0.0.1:{free_port()}", tmp_path)
    try:
        checks = await runtime.readiness()
    finally:
        await runtime.engine.dispose()
    assert checks["database"] == "ok"
    assert checks["kafka"].startswith("unavailable")


async def test_a_kafka_answer_holds_for_the_grace_period_and_no_longer(kafka_bootstrap, tmp_path):
    runtime = _runtime(kafka_bootstrap, tmp_path)
    try:

        async def ready() -> bool:  # a busy shared broker may miss the 3 s probe bound once
            return await runtime.readiness() == {"database": "ok", "kafka": "ok"}

        await wait_for(ready, timeout=60, message="the service to be ready")
        runtime.settings.kafka_bootstrap_servers = f"127.0.0.1:{free_port()}"  # the broker "goes away"
        assert (await runtime.readiness())["kafka"] == "ok"  # within the grace: not asked again
        runtime._kafka_ok_until -= KAFKA_READY_GRACE  # the grace has run out
        assert (await runtime.readiness())["kafka"].startswith("unavailable")
    finally:
        await runtime.engine.dispose()
