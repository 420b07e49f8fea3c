"""The inbox and the caller's notification profile."""

from __future__ import annotations

from fastapi import APIRouter
from onematter_kit.internal_auth import CurrentPrincipal
from onematter_kit.paging import Limit, Offset

from onematter_notification.entrypoints.deps import UowDep
from onematter_notification.entrypoints.schemas import (
    MessagePublic,
    NotificationPage,
    ProfilePublic,
    ProfileUpdate,
)
from onematter_notification.service_layer import inbox as handlers

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/notifications", tags=["inbox"])


@router.get("", response_model=NotificationPage, summary="The caller's messages, newest first")
async def list_notifications(
    principal: CurrentPrincipal, uow: UowDep, limit: Limit = 20, offset: Offset = 0
) -> NotificationPage:
    """Personal messages plus the shared inboxes the caller reads (department for officers, role inboxes)."""
    page = await handlers.list_inbox(handlers.ListInbox(reader=principal, limit=limit, offset=offset), uow)
    return NotificationPage(
        items=[MessagePublic.model_validate(m) for m in page.items],
        total=page.total,
        limit=limit,
        offset=offset,
        unread=page.unread,
    )


@router.post("/{message_id}/read", response_model=MessagePublic, summary="Mark a message read")
async def mark_read(message_id: str, principal: CurrentPrincipal, uow: UowDep) -> MessagePublic:
    """Idempotent; a message in none of the caller's inboxes is 404. Shared inboxes share their read state."""
    return MessagePublic.model_validate(await handlers.mark_read(principal, message_id, uow))


@router.get("/profile", response_model=ProfilePublic, summary="The caller's notification profile")
async def get_profile(principal: CurrentPrincipal, uow: UowDep) -> ProfilePublic:
    return ProfilePublic.model_validate(await handlers.get_profile(principal, uow))


@router.put("/profile", response_model=ProfilePublic, summary="Set email, phone and language")
async def put_profile(body: ProfileUpdate, principal: CurrentPrincipal, uow: UowDep) -> ProfilePublic:
    given = {field: getattr(body, field) for field in body.model_fields_set}
    return ProfilePublic.model_validate(await handlers.update_profile(principal, given, uow))
