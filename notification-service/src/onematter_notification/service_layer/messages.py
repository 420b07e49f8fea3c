"""Storing messages: render each draft in its recipient's language, write it to the inbox, and queue
email/SMS deliveries for personal messages whose recipient has an address for that channel.

All writes go through the caller's unit of work; nothing commits here.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from onematter_kit.identity import Principal
from onematter_kit.tables import utcnow
from sqlalchemy import select

from onematter_notification.adapters.sql import upsert_statement
from onematter_notification.adapters.tables import Delivery, Message, Profile
from onematter_notification.domain.planner import Draft
from onematter_notification.domain.recipients import is_personal, subject_of
from onematter_notification.domain.templates import DEFAULT_LOCALE, normalise_locale, refs_in, render
from onematter_notification.service_layer.names import load_names
from onematter_notification.service_layer.signals import NotificationUnitOfWork

__all__ = ["ensure_profile", "store_drafts"]


async def store_drafts(
    uow: NotificationUnitOfWork, drafts: Sequence[Draft], *, cause_id: str, channels: Collection[str]
) -> list[Message]:
    """Store each draft once per ``(cause_id, recipient, kind)``; a replay of the same cause adds nothing."""
    stored = []
    names = await load_names(uow, set().union(*(refs_in(d.params) for d in drafts)))
    for draft in drafts:
        exists = await uow.session.execute(
            select(Message.seq).where(
                Message.cause_id == cause_id, Message.recipient == draft.recipient, Message.kind == draft.kind
            )
        )
        if exists.first() is not None:
            continue
        profile = await _profile_of(uow, draft.recipient)
        rendered = render(draft.kind, profile.locale if profile else DEFAULT_LOCALE, draft.params, names)
        message = Message(
            recipient=draft.recipient,
            kind=draft.kind,
            locale=rendered.locale,
            subject=rendered.subject,
            body=rendered.body,
            application_id=draft.application_id,
            cause_id=cause_id,
        )
        uow.session.add(message)
        uow.message_added(draft.recipient)
        if profile is not None:
            _queue_personal_channels(uow, message, profile, channels)
        stored.append(message)
    await uow.session.flush()  # assigns seq, so callers and SSE readers see the order
    return stored


async def _profile_of(uow: NotificationUnitOfWork, recipient: str) -> Profile | None:
    if not is_personal(recipient):
        return None
    return await uow.session.get(Profile, subject_of(recipient))


def _queue_personal_channels(
    uow: NotificationUnitOfWork, message: Message, profile: Profile, channels: Collection[str]
) -> None:
    payload = json.dumps({"subject": message.subject, "body": message.body}, ensure_ascii=False)
    for channel, address in (("email", profile.email), ("sms", profile.phone)):
        if channel in channels and address:
            uow.session.add(
                Delivery(
                    channel=channel,
                    target_key=message.recipient,
                    cause_id=message.id,
                    message_id=message.id,
                    address=address,
                    payload=payload,
                )
            )
            uow.delivery_added()


async def ensure_profile(uow: NotificationUnitOfWork, principal: Principal) -> Profile:
    """The caller's profile; created from the identity's claims (email, locale) when there is none yet,
    and filled from them where a field is still empty. The caller commits.

    Race-safe: a user's first inbox request and first stream request often arrive together, so the row is
    created with ``INSERT … ON CONFLICT DO NOTHING`` and then read — whichever request inserts first wins,
    the others read its row (PostgreSQL waits for the winner's commit) instead of failing on the key."""
    profile = await uow.session.get(Profile, principal.subject)
    if profile is None:
        insert = upsert_statement(uow.session, Profile).values(
            subject=principal.subject,
            email=principal.email,
            locale=normalise_locale(principal.locale),
            updated_at=utcnow(),
        )
        await uow.session.execute(insert.on_conflict_do_nothing(index_elements=["subject"]))
        profile = await uow.session.get(Profile, principal.subject, populate_existing=True)
        if profile is None:  # pragma: no cover — the row was inserted or already committed above
            raise RuntimeError(f"profile {principal.subject!r} neither inserted nor found")
    if profile.email is None and principal.email:
        profile.email = principal.email
    return profile
