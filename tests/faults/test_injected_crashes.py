"""Crashes at the exact moments at-least-once delivery must survive (issue 19), not left to chance: the
service is started with ``FAULT_INJECT=<point>`` (``onematter_kit.faults``) and kills itself with SIGKILL
the first time it gets there; the test then starts it again without the setting and shows the outcome.

* ``outbox.acknowledged`` (acceptance): between Kafka's ack and the outbox row marked sent — the
  events are published again with the same ids, and applied once.
* ``consumer.committed`` (material): between the consumer's commit and the offset commit — the event
  is delivered again and applied exactly once.
* ``webhook.answered`` (notification): between the receiver's 200 and recording it — delivered again
  with the same delivery (event) id, recorded once.
* ``upload.blob_written`` (material): between the blob at its content address and its rows — no row
  without its blob, and no blob without its row once the restarted service's storage sweep has run
  (a grace period of 0 s for this test); the client's retry of the same file gives the blob its rows.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SIGKILL = -9


async def test_a_crash_after_kafkas_ack_before_the_outbox_mark_publishes_again_applied_once(lab) -> None:  # type: ignore[no-untyped-def]
    before = await lab.total()
    key = f"outbox-{secrets.token_hex(4)}"
    # the armed relay must die on this submission's batch, not on an earlier one still waiting, nor on
    # the overdue warnings its start-up round would write for earlier tests' tasks (it did, once)
    await _earlier_tasks_already_alerted(lab)
    assert await _poll(lambda: _outbox_drained(lab), within=60), "acceptance's outbox never drained"
    outcome, code = await lab.crash_on_cue("acceptance", "outbox.acknowledged", lambda: lab.submit(key))
    assert code == SIGKILL, f"acceptance did not die at the point (exit {code})"
    counts = await lab.audit("crash after Kafka's ack (outbox)", [outcome], total_before=before)
    number = (await lab.submit(key)).body["acceptance_number"]  # the replay names it
    copies = await lab.copies_on_kafka({number})
    lab.report(
        "crash after Kafka's ack (outbox)",
        published=len(copies),
        records_on_kafka=sum(copies.values()),
        published_twice=sum(n > 1 for n in copies.values()),
        applied=counts["applied"],
    )
    assert copies and all(n >= 1 for n in copies.values()), copies
    assert max(copies.values()) >= 2, f"nothing was published again, so the window was not hit: {copies}"


async def test_a_crash_after_the_consumers_commit_before_the_offset_commit_applies_once(lab) -> None:  # type: ignore[no-untyped-def]
    before = await lab.total()
    key = f"consumer-{secrets.token_hex(4)}"
    # the armed consumer must die on this submission's events, not on earlier ones still arriving
    assert await _poll(lambda: _all_applied(lab), within=60), "material never caught up"
    outcome, code = await lab.crash_on_cue("material", "consumer.committed", lambda: lab.submit(key))
    assert code == SIGKILL, f"material did not die at the point (exit {code})"
    # audit: every task.assigned event applied once (processed rows) and the grants exactly as many as
    # the task's materials, so the redelivered event after the restart changed nothing
    counts = await lab.audit("crash after the consumer's commit", [outcome], total_before=before)
    assert counts["applied"] == counts["task_events"] > 0, counts


async def test_a_crash_after_a_webhook_answered_delivers_again_with_the_same_id_and_records_once(lab) -> None:  # type: ignore[no-untyped-def]
    before, hooks = await lab.total(), lab.sinks.hooks
    lab.emails_at_least_once = True  # an email may be in flight in the same delivery round
    key = f"webhook-{secrets.token_hex(4)}"
    calls_before = hooks.counts()
    outcome, code = await lab.crash_on_cue("notification", "webhook.answered", lambda: lab.submit(key))
    assert code == SIGKILL, f"notification did not die at the point (exit {code})"
    at_crash = hooks.counts() - calls_before
    assert at_crash, "no webhook call reached the receiver before the crash"
    await lab.audit("crash after a webhook answered", [outcome], total_before=before)
    audited = await lab.audit_notifications("crash after a webhook answered")
    again = {e: hooks.counts()[e] for e in at_crash}
    lab.report(
        "crash after a webhook answered",
        answered_before_crash=len(at_crash),
        delivered_again=sum(n > 1 for n in again.values()),
        recorded=audited["webhook_recorded"],
    )
    assert any(n > 1 for n in again.values()), f"nothing delivered again after the crash: {again}"


async def test_a_crash_between_an_uploads_blob_and_its_row_leaves_no_row_without_a_blob(lab, stack) -> None:  # type: ignore[no-untyped-def]
    pdf = b"%PDF-1.7\n" + secrets.token_bytes(2048)
    sha = hashlib.sha256(pdf).hexdigest()
    blob = Path(stack.system.data_dir) / "materials" / sha[:2] / sha[2:4] / sha

    async def upload():  # type: ignore[no-untyped-def]
        return await lab.client.post(
            "/api/v1/materials",
            headers=lab.headers,
            data={"material_type": next(iter(lab.body["materials"]))},
            files={"file": ("certificate.pdf", pdf, "application/pdf")},
        )

    # The restarted service sweeps blob files without a row at once (no upload runs meanwhile here).
    env = stack.system.extra_env.setdefault("material", {})
    env["MATERIAL_ORPHAN_GRACE_SECONDS"] = "0"
    try:
        answer, code = await lab.crash_on_cue("material", "upload.blob_written", upload)
        assert code == SIGKILL, f"material did not die at the point (exit {code})"
        assert answer.status_code >= 500 and answer.status_code != 500, answer.text
        rows_after_crash = await _rows(lab, sha)

        async def swept() -> bool:
            return not blob.exists()

        await _poll(swept, within=60)  # the start-up sweep is a background job: wait for its outcome
        orphan_after_crash = int(blob.exists() and rows_after_crash == (0, 0))
    finally:
        del env["MATERIAL_ORPHAN_GRACE_SECONDS"]
    retried = await upload()  # the client retries the same file: the blob gets its rows
    assert retried.status_code == 201, retried.text
    rows_after_retry = await _rows(lab, sha)
    lab.report(
        "crash between an upload's blob and its row",
        answered=answer.status_code,
        blob_rows_after_crash=rows_after_crash[0],
        material_rows_after_crash=rows_after_crash[1],
        blob_file_without_row_after_crash=orphan_after_crash,
        blob_rows_after_retry=rows_after_retry[0],
        material_rows_after_retry=rows_after_retry[1],
    )
    assert rows_after_crash == (0, 0), f"rows committed without the upload finishing: {rows_after_crash}"
    assert orphan_after_crash == 0, "the blob written before the crash is still there without a row"
    assert rows_after_retry == (1, 1) and blob.read_bytes() == pdf, rows_after_retry


async def _outbox_drained(lab) -> bool:  # type: ignore[no-untyped-def]
    waiting = "SELECT count(*) AS n FROM outbox_messages WHERE published_at IS NULL"
    rows = await lab.query("acceptance", waiting)
    return int(rows[0]["n"]) == 0


async def _earlier_tasks_already_alerted(lab) -> None:  # type: ignore[no-untyped-def]
    """Mark every stored task as already warned, so the armed process's first overdue round (it runs at
    start-up, before the submission) writes nothing: most of newborn-birth's items are promised in one
    working day (the seed), so every earlier task is already inside the warning's one-day horizon and
    would get a ``task.overdue-warning`` that the armed relay publishes, and dies on, first."""
    await lab.query("acceptance", "UPDATE acceptance_tasks SET warned = true WHERE NOT warned")


async def _all_applied(lab) -> bool:  # type: ignore[no-untyped-def]
    """Material applied every ``task.assigned`` event of the applications the lab saw so far."""
    tasks = sum(len(b["tasks"]) for b in lab.applications.values())
    events = await lab.task_events(set(lab.applications), expected_tasks=tasks, within=10)
    ids = set().union(*events.values()) if events else set()
    return len(events) == tasks and await lab.applied_task_events(ids) == len(ids)


async def _poll(probe, *, within: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await probe():
            return True
        await asyncio.sleep(0.3)
    return False


async def _rows(lab, sha: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    blobs = await lab.query("material", "SELECT count(*) AS n FROM material_blobs WHERE sha256 = $1", sha)
    materials = await lab.query(
        "material", "SELECT count(*) AS n FROM material_materials WHERE blob_sha256 = $1", sha
    )
    return int(blobs[0]["n"]), int(materials[0]["n"])
