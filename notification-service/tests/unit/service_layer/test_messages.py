"""Storing messages on fakes: the recipient's language, copies to the addresses they gave."""

from __future__ import annotations

from onematter_notification.adapters.tables import Profile
from onematter_notification.domain.planner import Draft
from onematter_notification.service_layer.messages import store_drafts

from ..fakes import DEFAULT_NOW, FakeNotificationUnitOfWork

PARAMS = {"acceptance_number": "YJS-1", "matter_code": "newborn", "deadline": "2026-04-07"}


async def test_a_personal_message_is_written_in_the_recipients_language_and_copied_by_email() -> None:
    uow = FakeNotificationUnitOfWork()
    uow.profiles.rows["u1"] = Profile(
        subject="u1", email="li@example.cn", phone="138", locale="en", updated_at=DEFAULT_NOW
    )

    [message] = await store_drafts(
        uow, [Draft("user:u1", "application.accepted", PARAMS)], cause_id="e1", channels={"email"}
    )

    assert message.locale == "en" and message.subject == "Application accepted: YJS-1"
    [copy] = uow.deliveries.rows
    assert (copy.channel, copy.address, copy.cause_id, copy.message_id) == (
        "email",
        "li@example.cn",
        message.id,
        message.id,
    )
    assert copy.next_attempt_at == DEFAULT_NOW


async def test_shared_inboxes_get_no_copies_and_a_replayed_cause_adds_nothing() -> None:
    uow = FakeNotificationUnitOfWork()
    drafts = [Draft("dept:nhc", "application.accepted", PARAMS)]

    await store_drafts(uow, drafts, cause_id="e1", channels={"email", "sms"})
    assert await store_drafts(uow, drafts, cause_id="e1", channels={"email", "sms"}) == []

    assert len(uow.messages.rows) == 1 and uow.deliveries.rows == []
    assert uow.messages.rows[0].locale == "zh-CN"
