"""Handlers of the inbox routes: the caller's messages, marking one read, the profile, the live stream's
reads. Every one opens its own unit of work and commits visibly when it changes something."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onematter_kit.errors import NotFoundError
from onematter_kit.identity import Principal

from onematter_notification.adapters.tables import Message, Profile
from onematter_notification.domain.profiles import profile_changes
from onematter_notification.domain.recipients import inboxes_of
from onematter_notification.domain.streams import START, Resume, ResumeFrom, StreamPosition
from onematter_notification.service_layer.messages import ensure_profile
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork

__all__ = [
    "InboxPage",
    "ListInbox",
    "StreamBatch",
    "get_profile",
    "list_inbox",
    "mark_read",
    "messages_after",
    "stream_start",
    "update_profile",
]


@dataclass(frozen=True, kw_only=True)
class ListInbox:
    reader: Principal
    limit: int
    offset: int


@dataclass(frozen=True, kw_only=True)
class InboxPage:
    """One page of messages, newest first; ``total`` and ``unread`` count the whole inbox."""

    items: list[Message]
    total: int
    unread: int


async def list_inbox(query: ListInbox, uow: NotificationUnitOfWork) -> InboxPage:
    """Personal messages plus the shared inboxes the reader reads (department for officers, role inboxes);
    a first visit creates the reader's profile from the identity."""
    inboxes = inboxes_of(query.reader)
    async with uow:
        await ensure_profile(uow, query.reader)
        await uow.commit()
        items, total = await uow.messages.page(inboxes, limit=query.limit, offset=query.offset)
        return InboxPage(items=items, total=total, unread=await uow.messages.unread(inboxes))


async def mark_read(reader: Principal, message_id: str, uow: NotificationUnitOfWork) -> Message:
    """Idempotent; a message in none of the reader's inboxes is 404. Shared inboxes share their read state."""
    async with uow:
        message = await uow.messages.get(message_id)
        if message is None or message.recipient not in inboxes_of(reader):
            raise NotFoundError("No such notification")
        if message.read_at is None:
            message.read_at = uow.clock.now()
            await uow.commit()
        return message


async def get_profile(person: Principal, uow: NotificationUnitOfWork) -> Profile:
    async with uow:
        profile = await ensure_profile(uow, person)
        await uow.commit()
        return profile


async def update_profile(person: Principal, given: dict[str, Any], uow: NotificationUnitOfWork) -> Profile:
    """Set the fields ``given`` (``null`` clears email or phone; the language is only ever changed)."""
    async with uow:
        profile = await ensure_profile(uow, person)
        for field, value in profile_changes(given).items():
            setattr(profile, field, value)
        profile.updated_at = uow.clock.now()
        await uow.commit()
        return profile


@dataclass(frozen=True, kw_only=True)
class StreamBatch:
    """The stream's next messages, and whether committed ones wait behind an older transaction (read
    again soon: their becoming readable wakes nobody)."""

    messages: list[Message]
    held_back: bool


async def messages_after(
    inboxes: list[str], position: StreamPosition, uow: NotificationUnitOfWork, *, limit: int
) -> StreamBatch:
    """The stream's next batch: messages of ``inboxes`` after ``position``, in stream order (see
    :class:`~onematter_notification.domain.streams.StreamPosition`)."""
    async with uow:
        # Held back is asked first: a message that turns readable in between is then in the batch or
        # announced; asked after, it could be missed until the next wake-up.
        held_back = await uow.messages.held_back(inboxes)
        messages = await uow.messages.after(inboxes, position=position, limit=limit)
        return StreamBatch(messages=messages, held_back=held_back)


async def stream_start(inboxes: list[str], start: ResumeFrom, uow: NotificationUnitOfWork) -> StreamPosition:
    """The position a stream sends messages after (see :func:`~onematter_notification.domain.streams.
    resume_from`): the newest for a fresh stream, a given id only if it is one of the caller's messages,
    otherwise ``START`` — every kept message is replayed rather than the stream staying silent."""
    async with uow:
        if start.how is Resume.latest:
            return await uow.messages.latest(inboxes)
        if start.how is Resume.after:
            return await uow.messages.position_of(inboxes, seq=start.seq) or START
        return START
