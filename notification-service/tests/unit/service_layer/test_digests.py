"""The digest flush on fakes: only due digests go out, once, as one message each."""

from __future__ import annotations

from datetime import timedelta

from onematter_notification.service_layer.digests import flush_due
from onematter_notification.service_layer.events import make_handler
from onematter_testkit.application_events import accepted, approved

from ..fakes import FakeNotificationUnitOfWork, consume

WINDOW = timedelta(seconds=10)


async def test_a_digest_goes_out_once_when_due_and_not_before() -> None:
    uow, event = FakeNotificationUnitOfWork(), accepted(applicant_id="u1", departments=["a", "b"])
    handle = make_handler(channels=frozenset(), digest_window=WINDOW)
    for index in range(2):
        await consume(handle, approved(event, index), uow)

    uow.clock.advance(WINDOW - timedelta(seconds=1))  # type: ignore[attr-defined]
    assert await flush_due(uow, channels=()) == 0
    uow.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    assert await flush_due(uow, channels=()) == 1
    assert await flush_due(uow, channels=()) == 0

    [message] = uow.messages.rows
    assert (message.kind, message.recipient, message.application_id) == (
        "approvals.digest",
        "user:u1",
        event.data["application_id"],
    )
    assert all(task["item_code"] in message.body for task in event.data["tasks"]) and uow.committed


async def test_an_approval_after_a_digest_went_out_opens_a_new_one() -> None:
    uow, event = FakeNotificationUnitOfWork(), accepted(applicant_id="u1", departments=["a", "b"])
    handle = make_handler(channels=frozenset(), digest_window=WINDOW)
    await consume(handle, approved(event, 0), uow)
    uow.clock.advance(WINDOW)  # type: ignore[attr-defined]
    await flush_due(uow, channels=())

    await consume(handle, approved(event, 1), uow)

    assert [len(d.entries) for d in uow.digests.rows] == [1, 1]
    assert [d.flushed_at is None for d in uow.digests.rows] == [False, True]
