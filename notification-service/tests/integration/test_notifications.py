"""Events on real Kafka become inbox messages, digests, emails and signed webhook calls."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from onematter_events import applications as app_events
from onematter_kit.identity import Role
from onematter_notification.domain.delivery import verify_signature
from onematter_testkit import internal_headers, make_principal, random_code, random_id, wait_for

pytestmark = pytest.mark.integration


def _as(
    subject: str, *roles: Role, department: str | None = None, email: str | None = None
) -> dict[str, str]:
    return internal_headers(
        make_principal(subject, *(roles or (Role.applicant,)), department=department, email=email),
        audience="notification",
    )


async def _inbox(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get("/api/v1/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_accepted_application_gives_the_applicant_exactly_one_message_with_the_acceptance_number(
    app, client, bus, builders
) -> None:
    applicant = random_id("user")
    event = builders["accepted"](applicant_id=applicant, departments=[random_code("d")])
    await bus.publish(event)

    # The message is written in the same transaction that marks the event processed: once the consumer
    # applied it, everything the event causes is in the inbox.
    await wait_for(lambda: _true(_consumer(app, "applications").applied_total >= 1), message="the event")
    page = await _inbox(client, _as(applicant))
    assert page["total"] == 1 and page["unread"] == 1
    assert event.data["acceptance_number"] in page["items"][0]["body"]
    assert page["items"][0]["locale"] == "zh-CN"


def _consumer(app: FastAPI, name: str) -> Any:
    return next(c for c in app.state.runtime.consumer_instances if c.name.endswith(f".{name}"))


async def _inbox_with(
    client: httpx.AsyncClient, headers: dict[str, str], count: int
) -> dict[str, Any] | None:
    page = await _inbox(client, headers)
    return page if page["total"] >= count else None


#: 14:00 in Beijing. Time stands still in the digest test until it moves the clock, so the window cannot
#: race the five new topics (the consumer discovers new task topics seconds apart), whatever the load.
FROZEN_AT = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("clock", [FROZEN_AT], indirect=True)
async def test_five_approvals_within_the_window_become_one_digest(
    app, client, bus, builders, settings, clock
) -> None:
    applicant = random_id("user")
    event = builders["accepted"](applicant_id=applicant, departments=[random_code("d") for _ in range(5)])
    await bus.publish(event)
    for index in range(5):
        await bus.publish(builders["approved"](event, index))

    tasks, applications = _consumer(app, "tasks"), _consumer(app, "applications")
    await wait_for(lambda: _true(tasks.applied_total >= 5), timeout=60, message="the five approvals")
    await wait_for(lambda: _true(applications.applied_total >= 1), timeout=30, message="the acceptance")
    assert [m["kind"] for m in (await _inbox(client, _as(applicant)))["items"]] == ["application.accepted"]
    clock.advance(timedelta(seconds=settings.digest_window_seconds))
    await wait_for(lambda: _inbox_with(client, _as(applicant), 2), timeout=30, message="the digest")
    page = await _inbox(client, _as(applicant))
    kinds = [item["kind"] for item in page["items"]]
    assert sorted(kinds) == ["application.accepted", "approvals.digest"]
    digest = next(item for item in page["items"] if item["kind"] == "approvals.digest")
    assert all(task["item_code"] in digest["body"] for task in event.data["tasks"])
    assert digest["created_at"] == "2026-03-10T14:00:01+08:00"  # one window (1 s) after 14:00


async def _subscribe(
    client: httpx.AsyncClient, department: str, url: str, types: list[str]
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/subscriptions",
        json={"callback_url": url, "event_types": types},
        headers=_as(f"officer-{department}", Role.officer, department=department),
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_duplicate_kafka_delivery_makes_no_second_message_and_no_second_webhook_call(
    app, client, bus, builders, webhook_receiver
) -> None:
    department = random_code("d")
    subscription = await _subscribe(client, department, webhook_receiver.url, [app_events.TASK_ASSIGNED])
    event = builders["assigned"](
        builders["accepted"](applicant_id=random_id("user"), departments=[department]), 0
    )
    await bus.publish(event)
    await bus.publish(event)  # the same CloudEvent id again, as after a producer retry

    tasks_consumer = _consumer(app, "tasks")
    await wait_for(lambda: _true(tasks_consumer.skipped_duplicates >= 1), timeout=30, message="the duplicate")
    await wait_for(lambda: _true(len(webhook_receiver.calls) >= 1), timeout=10, message="the webhook call")
    officer = _as(f"officer-{department}", Role.officer, department=department)
    # Both copies were consumed (one applied, one skipped) and the one delivery finished: nothing is left
    # that could make a second message or call.
    await wait_for(lambda: _delivered(client, subscription["id"], officer), timeout=10, message="delivered")
    assert (await _inbox(client, officer))["total"] == 1
    assert len(webhook_receiver.calls) == 1
    assert webhook_receiver.calls[0][0]["x-onematter-event-id"] == event.id


async def _true(value: bool) -> bool:
    return value


async def _delivered(client: httpx.AsyncClient, subscription_id: str, headers: dict[str, str]) -> bool:
    page = (await client.get(f"/api/v1/subscriptions/{subscription_id}/deliveries", headers=headers)).json()
    return bool(page["items"]) and all(d["status"] == "delivered" for d in page["items"])


async def test_a_webhook_receiver_failing_three_times_gets_the_fourth_call_with_a_valid_signature(
    client, bus, builders, webhook_receiver
) -> None:
    webhook_receiver.fail_first = 3
    department = random_code("d")
    subscription = await _subscribe(client, department, webhook_receiver.url, [app_events.TASK_ASSIGNED])
    event = builders["assigned"](
        builders["accepted"](applicant_id=random_id("user"), departments=[department]), 0
    )
    await bus.publish(event)

    await wait_for(lambda: _true(len(webhook_receiver.calls) >= 4), timeout=30, message="the fourth call")
    headers, body, status = webhook_receiver.calls[3]
    assert status == 200
    assert verify_signature(
        subscription["secret"], header=headers["x-onematter-signature"], body=body, now=int(time.time())
    )
    assert not verify_signature(
        "whsec_wrong", header=headers["x-onematter-signature"], body=body, now=int(time.time())
    )
    officer = _as(f"officer-{department}", Role.officer, department=department)

    async def delivered() -> dict[str, Any] | None:
        page = (
            await client.get(f"/api/v1/subscriptions/{subscription['id']}/deliveries", headers=officer)
        ).json()
        return page if page["items"] and page["items"][0]["status"] == "delivered" else None

    delivery = (await wait_for(delivered, timeout=10, message="the delivered record"))["items"][0]
    assert delivery["attempts"] == 4 and [a["ok"] for a in delivery["attempt_log"]] == [False] * 3 + [True]
    other = _as("officer-x", Role.officer, department=random_code("d"))
    assert (
        await client.get(f"/api/v1/subscriptions/{subscription['id']}/deliveries", headers=other)
    ).status_code == 404


async def test_an_email_arrives_at_a_real_smtp_server(client, bus, builders, smtp_server) -> None:
    applicant = random_id("user")
    response = await client.put(
        "/api/v1/notifications/profile",
        json={"email": "li@example.cn", "locale": "en"},
        headers=_as(applicant),
    )
    assert response.status_code == 200, response.text
    event = builders["accepted"](applicant_id=applicant, departments=[random_code("d")])
    await bus.publish(event)

    await wait_for(lambda: _true(bool(smtp_server.mailbox.messages)), timeout=30, message="the email")
    mail = smtp_server.mailbox.messages[0]
    assert mail["To"] == "li@example.cn"
    assert event.data["acceptance_number"] in mail["Subject"]
    assert "Application accepted" in mail["Subject"]
