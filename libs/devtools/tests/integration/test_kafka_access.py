"""Who may read and write which topic, enforced by a real broker (issue 16), and the department guide's
kcat command run as written (issue 17).

One private broker for the module, laid out as `make run` lays out its own (`data/kafka` under the
working folder, no topic prefix), so the guide's command runs unchanged but for the broker's port.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import re
import select
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import TopicAuthorizationFailedError
from onematter_devtools.credentials import KafkaLogin
from onematter_devtools.kafka import KafkaBroker
from onematter_devtools.kafka_admin import Provisioned, provision
from onematter_devtools.kcat import ensure_kcat
from onematter_devtools.launcher import free_port
from onematter_events import CloudEvent, Stream, task_topic, topic_name
from onematter_kit.kafka import ensure_topics
from onematter_testkit import kafka_settings

pytestmark = pytest.mark.integration

GUIDE = Path(__file__).resolve().parents[4] / "docs" / "integrating-a-department.md"
TOPICS = [task_topic("mps"), task_topic("nhc"), topic_name(Stream.applications), topic_name(Stream.materials)]


@dataclass(frozen=True)
class Site:
    """The private broker, its principals, and the folder the guide's commands run in."""

    broker: KafkaBroker
    principals: Provisioned
    folder: Path

    def kcat(
        self, login: KafkaLogin, *args: str, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        config = login.librdkafka_config(self.broker.bootstrap)
        sasl = [
            arg
            for key, value in config.items()
            if key != "bootstrap.servers"
            for arg in ("-X", f"{key}={value}")
        ]
        command = [str(ensure_kcat()), "-b", self.broker.bootstrap, *sasl, *args]
        return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("department")
    broker = KafkaBroker(data_dir=folder / "data" / "kafka", port=free_port(), controller_port=free_port())
    broker.start()
    try:
        principals = provision(broker, departments=["mps", "nhc"])
        asyncio.run(ensure_topics(kafka_settings(broker.bootstrap, login=broker.admin.service_env()), TOPICS))
        yield Site(broker, principals, folder)
    finally:
        broker.stop(timeout=5)


def _task(department: str) -> CloudEvent:
    return CloudEvent(
        source="/onematter/acceptance",
        type="gov.onematter.task.assigned",
        subject="app-guide",
        data={"department": department, "application_id": "app-guide"},
    )


async def _send(site: Site, login: KafkaLogin, topic: str, event: CloudEvent) -> None:
    producer = AIOKafkaProducer(**login.aiokafka_options(site.broker.bootstrap), request_timeout_ms=15000)
    await producer.start()
    try:
        await producer.send_and_wait(topic, event.to_bytes(), key=b"app-guide")
    finally:
        await producer.stop()


def _guide_command(bootstrap: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    block = re.search(r"<!-- department-kcat:.*?-->\n```sh\n(.*?)```", text, re.DOTALL)
    assert block, f"{GUIDE} lost its department-kcat block"
    assert "127.0.0.1:9092" in block.group(1)
    return block.group(1).replace("127.0.0.1:9092", bootstrap)


def _run_in_a_terminal_until(command: str, wanted: str, *, cwd: Path, within: float) -> bool:
    """Run ``command`` with bash as a person would in a terminal (a pty: kcat line-buffers its output
    only for a terminal) until ``wanted`` appears in its output; then stop it and its children."""
    reader, writer = pty.openpty()
    process = subprocess.Popen(
        ["bash", "-c", command], cwd=cwd, stdout=writer, stderr=subprocess.DEVNULL, start_new_session=True
    )
    os.close(writer)
    seen, deadline = b"", time.monotonic() + within
    try:
        while wanted.encode() not in seen and time.monotonic() < deadline and process.poll() is None:
            if select.select([reader], [], [], 0.5)[0]:
                seen += os.read(reader, 65536)
    except OSError:  # the terminal closed: the command ended
        pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        os.close(reader)
    return wanted.encode() in seen


def test_the_guides_kcat_command_reads_the_tasks_that_waited_for_a_department_that_joined_late(
    site: Site,
) -> None:
    waiting = _task("mps")
    asyncio.run(_send(site, site.principals.services["acceptance"], task_topic("mps"), waiting))

    command = _guide_command(site.broker.bootstrap)

    found = _run_in_a_terminal_until(command, waiting.id, cwd=site.folder, within=60)
    assert found, "the guide's command did not print the task that was already on the topic"


def test_a_department_gets_an_authorization_error_on_another_departments_topic(site: Site) -> None:
    mps = site.principals.departments["mps"]
    done = site.kcat(
        mps, "-C", "-X", "auto.offset.reset=earliest", "-G", "mps.audit", "-e", task_topic("nhc")
    )

    assert done.returncode != 0
    assert "Topic authorization failed" in done.stderr


def test_a_department_may_not_use_another_departments_consumer_group(site: Site) -> None:
    mps = site.principals.departments["mps"]
    done = site.kcat(mps, "-C", "-G", "nhc.workbench", "-e", task_topic("mps"))

    assert "Group authorization failed" in done.stderr


def test_a_department_cannot_write_even_to_its_own_topic(site: Site) -> None:
    done = site.kcat(site.principals.departments["mps"], "-P", "-t", task_topic("mps"), stdin="forged\n")

    assert done.returncode != 0
    assert "Topic authorization failed" in done.stderr


@pytest.mark.parametrize("topic", [topic_name(Stream.applications), task_topic("mps")])
async def test_a_service_credential_cannot_write_another_services_topic(site: Site, topic: str) -> None:
    # The material service owns onematter.materials only; task.assigned and application events are
    # the acceptance service's to write.
    with pytest.raises(TopicAuthorizationFailedError):
        await _send(site, site.principals.services["material"], topic, _task("mps"))


def test_a_wrong_password_and_an_anonymous_client_are_turned_away(site: Site) -> None:
    impostor = KafkaLogin("dept-mps", "not-the-password")
    wrong = site.kcat(impostor, "-L", "-m", "5")
    anonymous = subprocess.run(
        [str(ensure_kcat()), "-b", site.broker.bootstrap, "-L", "-m", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert wrong.returncode != 0 and "Authentication failed" in wrong.stderr
    assert anonymous.returncode != 0
