"""The consumers' event handler on fakes: messages once per cause, digests, names, webhook fan-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from onematter_events import CloudEvent, new_event
from onematter_events import applications as app_events
from onematter_events.delegations import DELEGATION_CODE_ISSUED, DelegationCodeIssued
from onematter_events.matters import MATTER_PUBLISHED
from onematter_notification.adapters.tables import Subscription
from onematter_notification.service_layer.events import handlers_for, make_handler
from onematter_testkit.application_events import accepted, application_completed, approved, assigned, rejected

from ..fakes import DEFAULT_NOW, FakeNotificationUnitOfWork, consume

WINDOW = timedelta(seconds=10)
handle = make_handler(channels=frozenset(), digest_window=WINDOW)


def _kinds(uow: FakeNotificationUnitOfWork) -> list[str]:
    return [m.kind for m in uow.messages.rows]


async def test_an_accepted_application_gives_the_applicant_one_message_even_when_redelivered() -> None:
    uow, event = FakeNotificationUnitOfWork(), accepted(applicant_id="u1", departments=["nhc"])

    await consume(handle, event, uow)
    await consume(handle, event, uow)

    [message] = uow.messages.rows
    assert (message.recipient, message.kind, message.locale) == ("user:u1", "application.accepted", "zh-CN")
    assert event.data["acceptance_number"] in message.body and message.created_at == DEFAULT_NOW
    assert uow.woken == {"user:u1"}


async def test_approvals_gather_into_one_digest_due_a_window_after_the_last() -> None:
    uow, event = FakeNotificationUnitOfWork(), accepted(applicant_id="u1", departments=["a", "b", "c"])
    for index in range(3):
        await consume(handle, approved(event, index), uow)
        uow.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]

    [digest] = uow.digests.rows
    assert [e["task_id"] for e in digest.entries] == [t["task_id"] for t in event.data["tasks"]]
    assert digest.due_at == DEFAULT_NOW + timedelta(seconds=2) + WINDOW
    assert uow.messages.rows == []  # approvals are not messages of their own


async def test_a_rejection_is_told_at_once_with_the_reason() -> None:
    uow, event = FakeNotificationUnitOfWork(), accepted(applicant_id="u1", departments=["nhc"])

    await consume(handle, rejected(event, 0, "照片不清晰"), uow)

    [message] = uow.messages.rows
    assert message.kind == "task.rejected" and "照片不清晰" in message.body


async def test_the_completion_sends_the_open_digest_first_and_absorbs_later_approvals() -> None:
    uow, event = FakeNotificationUnitOfWork(), accepted(applicant_id="u1", departments=["a", "b"])
    await consume(handle, approved(event, 0), uow)

    await consume(handle, application_completed(event), uow)
    await consume(handle, approved(event, 1), uow)  # trails the completion on its own topic

    assert _kinds(uow) == ["approvals.digest", "application.completed"]
    assert all(d.flushed_at is not None for d in uow.digests.rows)


async def test_published_names_replace_codes_in_later_messages() -> None:
    uow = FakeNotificationUnitOfWork()
    published = CloudEvent(
        source="/onematter/matter-catalog",
        type=MATTER_PUBLISHED,
        data={"matter_code": "newborn", "name_zh": "新生儿出生一件事", "name_en": "Newborn", "items": []},
    )
    await consume(handle, published, uow)

    await consume(handle, accepted(applicant_id="u1", departments=["nhc"], matter_code="newborn"), uow)

    assert "新生儿出生一件事" in uow.messages.rows[0].body


async def test_an_event_goes_to_each_subscription_that_wants_it_once() -> None:
    uow = FakeNotificationUnitOfWork()
    wanted = _subscription(department="nhc", types=[app_events.TASK_ASSIGNED])
    other_department = _subscription(department="mps", types=[app_events.TASK_ASSIGNED])
    other_type = _subscription(department="nhc", types=[app_events.TASK_OVERDUE])
    every_department = _subscription(department=None, types=[app_events.TASK_ASSIGNED])
    for subscription in (wanted, other_department, other_type, every_department):
        uow.subscriptions.add(subscription)
    event = assigned(accepted(applicant_id="u1", departments=["nhc"]), 0)

    await consume(handle, event, uow)
    await consume(handle, event, uow)

    assert sorted(d.subscription_id for d in uow.deliveries.rows) == sorted([wanted.id, every_department.id])
    assert all(d.cause_id == event.id and d.payload == event.to_bytes().decode() for d in uow.deliveries.rows)
    assert uow.deliveries_woken


def _subscription(*, department: str | None, types: list[str]) -> Subscription:
    return Subscription(
        department=department,
        callback_url="https://hooks.example.cn/in",
        event_types=types,
        secret="whsec_x",
        created_by="admin",
        created_at=DEFAULT_NOW,
    )


def test_the_handler_serves_every_type_a_producer_publishes() -> None:
    handlers = handlers_for({"acceptance"}, handle)
    assert app_events.TASK_COMPLETED in handlers and MATTER_PUBLISHED not in handlers
    assert set(handlers.values()) == {handle}


def _code_issued() -> CloudEvent:
    payload = DelegationCodeIssued(
        delegation_id="d1",
        applicant_id="u1",
        delegate_id="clerk01",
        matter_codes=["newborn-birth"],
        actions=["read", "submit"],
        code="424242",
        expires_at=datetime(2026, 11, 30, 2, 10, tzinfo=UTC),
    )
    return new_event(DELEGATION_CODE_ISSUED, payload, subject="d1")


async def test_a_one_time_code_reaches_the_applicants_inbox_only_and_never_a_webhook() -> None:
    uow = FakeNotificationUnitOfWork()
    uow.subscriptions.add(_subscription(department=None, types=[DELEGATION_CODE_ISSUED]))

    await consume(handle, _code_issued(), uow)

    [message] = uow.messages.rows
    assert (message.recipient, message.kind) == ("user:u1", "delegation.code-issued")
    assert "424242" in message.body and "10:10" in message.body  # 02:10 UTC is 10:10 in Beijing
    assert uow.deliveries.rows == []
