"""The inbox and the caller's notification profile."""

from __future__ import annotations

from fastapi import APIRouter
from onematter_kit.errors import NotFoundError
from onematter_kit.internal_auth import CurrentPrincipal
from onematter_kit.tables import utcnow
from sqlalchemy import func, select

from onematter_notification.adapters.tables import Message
from onematter_notification.domain.recipients import inboxes_of
from onematter_notification.entrypoints.deps import Limit, Offset, UowDep
from onematter_notification.entrypoints.schemas import (
    MessagePublic,
    NotificationPage,
    ProfilePublic,
    ProfileUpdate,
)
from onematter_notification.service_layer.messages import ensure_profile

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/notifications", tags=["inbox"])


@router.get("", response_model=NotificationPage, summary="The caller's messages, newest first")
async def list_notifications(
    principal: CurrentPrincipal, uow: UowDep, limit: Limit = 20, offset: Offset = 0
) -> NotificationPage:
    """Personal messages plus the shared inboxes the caller reads (department for officers, role inboxes)."""
    await ensure_profile(uow, principal)
    await uow.commit()
    mine = Message.recipient.in_(inboxes_of(principal))  # type: ignore[attr-defined]
    total = (await uow.session.execute(select(func.count()).select_from(Message).where(mine))).scalar_one()
    unread = (
        await uow.session.execute(
            select(func.count()).select_from(Message).where(mine, Message.read_at.is_(None))
        )
    ).scalar_one()  # type: ignore[union-attr]
    rows = (
        await uow.session.execute(
            select(Message).where(mine).order_by(Message.seq.desc()).limit(limit).offset(offset)
        )
    ).scalars()  # type: ignore[union-attr]
    return NotificationPage(
        items=[MessagePublic.model_validate(r) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
        unread=unread,
    )


@router.post("/{message_id}/read", response_model=MessagePublic, summary="Mark a message read")
async def mark_read(message_id: str, principal: CurrentPrincipal, uow: UowDep) -> MessagePublic:
    """Idempotent; a message in none of the caller's inboxes is 404. Shared inboxes share their read state."""
    message = (
        await uow.session.execute(select(Message).where(Message.id == message_id))
    ).scalar_one_or_none()
    if message is None or message.recipient not in inboxes_of(principal):
        raise NotFoundError("No such notification")
    if message.read_at is None:
        message.read_at = utcnow()
        await uow.commit()
    return MessagePublic.model_validate(message)


@router.get("/profile", response_model=ProfilePublic, summary="The caller's notification profile")
async def get_profile(principal: CurrentPrincipal, uow: UowDep) -> ProfilePublic:
    profile = await ensure_profile(uow, principal)
    await uow.commit()
    return ProfilePublic.model_validate(profile)


@router.put("/profile", response_model=ProfilePublic, summary="Set email, phone and language")
async def put_profile(body: ProfileUpdate, principal: CurrentPrincipal, uow: UowDep) -> ProfilePublic:
    profile = await ensure_profile(uow, principal)
    for field in body.model_fields_set:
        value = getattr(body, field)
        if field == "locale" and value is None:
            continue  # the language cannot be unset, only changed
        setattr(profile, field, value)
    profile.updated_at = utcnow()
    await uow.commit()
    return ProfilePublic.model_validate(profile)
