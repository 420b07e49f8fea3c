"""A first run that works the first time (issue 17): the real `make run` entry on an empty data folder.

`python -m onematter_devtools.run --data <empty folder> --free-ports` is what `make run` runs (on fixed
ports). Once it prints that the system is running, a submission of 新生儿出生一件事 made at once is accepted
(201, no retry: acceptance asks the catalog for a matter its copy does not have yet), and the acceptance
email the notification service sends lands in the run's mail sink, readable through the sink's API.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from onematter_testkit import wait_for
from onematter_testkit.applicant import form_from_schema, upload_material

pytestmark = pytest.mark.e2e

MATTER = "newborn-birth"
#: The acceptance message's zh-CN subject (notification templates), as a person reads it in the sink.
ACCEPTED_SUBJECT = "您的申请已受理："


class FirstRun:
    """The runner as a child process; its stdout is collected line by line (the banner is on stdout)."""

    def __init__(self, data: Path) -> None:
        command = [sys.executable, "-m", "onematter_devtools.run", "--data", str(data), "--free-ports"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self.lines: list[str] = []
        self.banner = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if "Press Ctrl-C to stop." in line:
                self.banner.set()

    def url(self, label: str) -> str:
        """The first URL printed on the banner line that starts with ``label``."""
        for line in self.lines:
            if line.strip().startswith(label) and (found := re.search(r"http://127\.0\.0\.1:\d+", line)):
                return found.group(0)
        raise AssertionError(f"no {label} URL in:\n{''.join(self.lines)}")

    def stop(self) -> int:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        return self.process.wait(timeout=60)


@pytest.fixture
def first_run(tmp_path: Path) -> Iterator[FirstRun]:
    run = FirstRun(tmp_path / "data")
    try:
        if not run.banner.wait(timeout=300):
            pytest.fail(f"make run did not become ready:\n{''.join(run.lines)[-5000:]}")
        yield run
    finally:
        assert run.stop() == 0, "".join(run.lines)[-3000:]


async def test_a_submission_right_after_make_run_is_ready_is_accepted_and_its_email_is_in_the_sink(
    first_run: FirstRun,
) -> None:
    gateway, sink = first_run.url("gateway"), first_run.url("mail")
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        login = await client.post("/auth/token", json={"username": "zhangsan", "password": "demo"})
        zhangsan = {"Authorization": f"Bearer {login.json()['access_token']}"}
        profile = await client.get("/api/v1/notifications/profile", headers=zhangsan)  # as the portal does
        assert profile.json()["email"] == "zhangsan@example.cn"
        matter = (await client.get(f"/api/v1/matters/{MATTER}")).json()
        materials = {
            m["material_type"]: await upload_material(client, zhangsan, m["material_type"])
            for m in matter["materials"]
        }
        body = {
            "matter_code": MATTER,
            "form": form_from_schema(matter["form_schema"]),
            "materials": materials,
        }

        submitted = await client.post(
            "/api/v1/applications", json=body, headers={**zhangsan, "Idempotency-Key": "first-run-1"}
        )

    assert submitted.status_code == 201, submitted.text
    number = submitted.json()["acceptance_number"]

    async def the_email() -> dict | None:
        async with httpx.AsyncClient(base_url=sink, timeout=10) as mail:
            caught = (await mail.get("/api/email")).json()
        return next((m for m in caught if m["subject"] == ACCEPTED_SUBJECT + number), None)

    email = await wait_for(the_email, timeout=60, interval=1, message="the acceptance email in the sink")
    assert [to["address"] for to in email["envelope"]["to"]] == ["zhangsan@example.cn"]
    assert "新生儿出生一件事" in email["text"] and number in email["text"]
    page = await asyncio.to_thread(httpx.get, sink, headers={"Accept": "text/html"})
    assert page.status_code == 200  # a person reads it in a browser
