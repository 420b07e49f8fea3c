"""The inbox handlers on fakes: the reader's inboxes, read state, the profile."""

from __future__ import annotations

import pytest
from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Role
from onematter_notification.domain.planner import Draft
from onematter_notification.domain.streams import Resume, ResumeFrom
from onematter_notification.service_layer.inbox import (
    ListInbox,
    get_profile,
    list_inbox,
    mark_read,
    messages_after,
    stream_start,
    update_profile,
)
from onematter_notification.service_layer.messages import store_drafts
from onematter_testkit import make_principal

from ..fakes import DEFAULT_NOW, FakeNotificationUnitOfWork

OFFICER = make_principal("o1", Role.officer, department="nhc").model_copy(update={"email": "o1@nhc.gov.cn"})


async def _messages(uow: FakeNotificationUnitOfWork) -> None:
    params = {"acceptance_number": "YJS-1", "item_code": "x", "deadline": "2026-03-20"}
    drafts = [Draft("dept:nhc", "task.overdue", params), Draft("dept:mps", "task.overdue", params)]
    await store_drafts(uow, [*drafts, Draft("user:o1", "task.overdue", params)], cause_id="c1", channels=())


async def test_an_officer_reads_its_own_and_its_departments_messages_and_gets_a_profile() -> None:
    uow = FakeNotificationUnitOfWork()
    await _messages(uow)

    page = await list_inbox(ListInbox(reader=OFFICER, limit=20, offset=0), uow)

    assert [m.recipient for m in page.items] == ["user:o1", "dept:nhc"] and (page.total, page.unread) == (
        2,
        2,
    )
    assert uow.profiles.rows["o1"].email == "o1@nhc.gov.cn" and uow.committed


async def test_marking_read_is_idempotent_and_404_outside_the_readers_inboxes() -> None:
    uow = FakeNotificationUnitOfWork()
    await _messages(uow)
    mine, theirs = uow.messages.rows[0], uow.messages.rows[1]

    assert (await mark_read(OFFICER, mine.id, uow)).read_at == DEFAULT_NOW
    assert (await mark_read(OFFICER, mine.id, uow)).read_at == DEFAULT_NOW
    with pytest.raises(NotFoundError):
        await mark_read(OFFICER, theirs.id, uow)
    assert theirs.read_at is None


async def test_a_profile_update_sets_what_was_sent_and_never_unsets_the_language() -> None:
    uow = FakeNotificationUnitOfWork()
    await get_profile(OFFICER, uow)

    profile = await update_profile(OFFICER, {"email": None, "phone": "+8613800000000", "locale": None}, uow)

    assert (profile.email, profile.phone, profile.locale) == (None, "+8613800000000", "zh-CN")


async def test_a_stream_starts_after_the_newest_message_and_reads_what_follows() -> None:
    uow = FakeNotificationUnitOfWork()
    await _messages(uow)
    inboxes = ["user:o1", "dept:nhc"]

    start = await stream_start(inboxes, ResumeFrom(Resume.latest), uow)
    await store_drafts(uow, [Draft("dept:nhc", "task.overdue", {})], cause_id="c2", channels=())

    assert [m.cause_id for m in (await messages_after(inboxes, start, uow, limit=100)).messages] == ["c2"]


async def test_a_stream_resumes_after_one_of_the_readers_own_messages() -> None:
    uow = FakeNotificationUnitOfWork()
    await _messages(uow)
    own = uow.messages.rows[0]  # dept:nhc, seq 1

    start = await stream_start(["user:o1", "dept:nhc"], ResumeFrom(Resume.after, own.seq or 0), uow)

    assert start.seq == 1


@pytest.mark.parametrize(
    "start",
    [
        ResumeFrom(Resume.after, 2),  # dept:mps's message: not the reader's
        ResumeFrom(Resume.after, 10_000),  # beyond every real id
        ResumeFrom(Resume.after, 0),
        ResumeFrom(Resume.oldest),
    ],
)
async def test_an_id_that_is_not_the_readers_replays_from_the_oldest_message(start: ResumeFrom) -> None:
    uow = FakeNotificationUnitOfWork()
    await _messages(uow)
    inboxes = ["user:o1", "dept:nhc"]

    after = await stream_start(inboxes, start, uow)

    assert [m.recipient for m in (await messages_after(inboxes, after, uow, limit=100)).messages] == [
        "dept:nhc",
        "user:o1",
    ]


async def test_a_fresh_stream_starts_after_the_newest_of_the_readers_messages() -> None:
    uow = FakeNotificationUnitOfWork()
    await _messages(uow)

    assert (await stream_start(["user:o1", "dept:nhc"], ResumeFrom(Resume.latest), uow)).seq == 3
