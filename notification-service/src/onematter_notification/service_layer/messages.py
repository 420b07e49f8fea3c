"""Storing messages: render each draft in its recipient's language, write it to the inbox, and queue
email/SMS copies of personal messages to the addresses the recipient gave.

These run inside a handler's unit of work (they neither open nor commit it).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from onematter_kit.identity import Principal

from onematter_notification.adapters.catalog_names import CatalogNameSource
from onematter_notification.adapters.tables import Delivery, Message, Profile
from onematter_notification.domain.planner import Draft
from onematter_notification.domain.profiles import channel_copies
from onematter_notification.domain.recipients import is_personal, subject_of
from onematter_notification.domain.templates import (
    DEFAULT_LOCALE,
    Names,
    Ref,
    normalise_locale,
    refs_in,
    render,
)
from onematter_notification.service_layer.unit_of_work import NotificationUnitOfWork

__all__ = ["ensure_profile", "store_drafts"]


async def store_drafts(
    uow: NotificationUnitOfWork,
    drafts: Sequence[Draft],
    *,
    cause_id: str,
    channels: Collection[str],
    catalog: CatalogNameSource | None = None,
) -> list[Message]:
    """Store each draft once per ``(cause_id, recipient, kind)``; a replay of the same cause adds nothing.
    ``channels``: the copy channels the operator configured (``email``, ``sms``); ``catalog``: asked for
    the names not received yet (words, not codes, also right after a fresh start)."""
    stored = []
    names = await _names(uow, set().union(*(refs_in(d.params) for d in drafts)), catalog)
    for draft in drafts:
        if await uow.messages.exists(cause_id=cause_id, recipient=draft.recipient, kind=draft.kind):
            continue
        profile = (
            await uow.profiles.get(subject_of(draft.recipient)) if is_personal(draft.recipient) else None
        )
        rendered = render(draft.kind, profile.locale if profile else DEFAULT_LOCALE, draft.params, names)
        message = await uow.messages.add(
            Message(
                recipient=draft.recipient,
                kind=draft.kind,
                locale=rendered.locale,
                subject=rendered.subject,
                body=rendered.body,
                application_id=draft.application_id,
                cause_id=cause_id,
                created_at=uow.clock.now(),
            )
        )
        uow.message_added(draft.recipient)
        if profile is not None:
            _queue_copies(uow, message, profile, channels)
        stored.append(message)
    return stored


async def _names(uow: NotificationUnitOfWork, refs: set[Ref], catalog: CatalogNameSource | None) -> Names:
    """The known names of ``refs``; those missing are asked of the catalog and remembered."""
    names = await uow.names.lookup(refs)
    missing = {ref for ref in refs if (ref.kind, ref.code) not in names}
    if missing and catalog is not None and (rows := await catalog.names_of(missing)):
        await uow.names.remember(rows, at=uow.clock.now())
        names = await uow.names.lookup(refs)
    return names


def _queue_copies(
    uow: NotificationUnitOfWork, message: Message, profile: Profile, channels: Collection[str]
) -> None:
    payload = json.dumps({"subject": message.subject, "body": message.body}, ensure_ascii=False)
    now = uow.clock.now()
    for channel, address in channel_copies(email=profile.email, phone=profile.phone, channels=channels):
        uow.deliveries.add(
            Delivery(
                channel=channel,
                target_key=message.recipient,
                cause_id=message.id,
                message_id=message.id,
                address=address,
                payload=payload,
                next_attempt_at=now,
                created_at=now,
            )
        )
        uow.delivery_added()


async def ensure_profile(uow: NotificationUnitOfWork, principal: Principal) -> Profile:
    """The caller's profile, created from the identity's claims (email, locale) when there is none yet,
    and its email filled from them while it is still empty. The caller commits."""
    profile = await uow.profiles.ensure(
        Profile(
            subject=principal.subject,
            email=principal.email,
            locale=normalise_locale(principal.locale),
            updated_at=uow.clock.now(),
        )
    )
    if profile.email is None and principal.email:
        profile.email = principal.email
    return profile
