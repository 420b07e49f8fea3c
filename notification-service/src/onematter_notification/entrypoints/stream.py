"""Live updates: Server-Sent Events of the caller's new messages.

* ``id:`` is the message's ``seq``; a client reconnecting with ``Last-Event-ID`` gets every message after
  it from the database, so nothing committed is missed across reconnects or replicas.
* New messages arrive at once through the in-process hub (woken after commit) and, from other replicas,
  through a database poll every ``sse_poll_seconds``.
* A comment line every ``sse_heartbeat_seconds`` keeps proxies and load balancers from closing the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse
from onematter_kit.internal_auth import CurrentPrincipal
from sqlalchemy import func, select

from onematter_notification.adapters.tables import Message
from onematter_notification.domain.recipients import inboxes_of
from onematter_notification.entrypoints.deps import RuntimeDep
from onematter_notification.entrypoints.schemas import MessagePublic
from onematter_notification.service_layer.messages import ensure_profile

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/notifications", tags=["inbox"])
_BATCH = 100


@router.get(
    "/stream",
    summary="Server-Sent Events of new messages",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream(
    principal: CurrentPrincipal, runtime: RuntimeDep, last_event_id: Annotated[str | None, Header()] = None
) -> StreamingResponse:
    inboxes = inboxes_of(principal)
    async with runtime.uow() as uow:
        await ensure_profile(uow, principal)
        await uow.commit()
    after = int(last_event_id) if last_event_id and last_event_id.strip().isdigit() else None
    if after is None:
        after = await _latest_seq(runtime, inboxes)  # a fresh stream starts with what comes next
    return StreamingResponse(
        _events(runtime, inboxes, after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(runtime: RuntimeDep, inboxes: list[str], after: int) -> AsyncIterator[str]:
    settings = runtime.settings
    heartbeat, poll = settings.sse_heartbeat_seconds, settings.sse_poll_seconds  # type: ignore[attr-defined]
    with runtime.extras["signals"].inbox.listen(inboxes) as wake:
        yield f"retry: {int(poll * 1000)}\n: connected\n\n"
        last_sent = time.monotonic()
        while True:
            wake.clear()  # cleared before reading, so a commit during the read wakes the next wait
            messages = await _after(runtime, inboxes, after)
            for message in messages:
                after = message.seq or after
                yield f"id: {after}\nevent: notification\ndata: {message.model_dump_json()}\n\n"
            if messages:
                last_sent = time.monotonic()
                if len(messages) == _BATCH:
                    continue
            idle = time.monotonic() - last_sent
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=max(0.01, min(poll, heartbeat - idle)))
            if time.monotonic() - last_sent >= heartbeat:
                yield ": heartbeat\n\n"
                last_sent = time.monotonic()


async def _after(runtime: RuntimeDep, inboxes: list[str], after: int) -> list[MessagePublic]:
    async with runtime.uow() as uow:
        rows = (
            await uow.session.execute(
                select(Message)
                .where(Message.recipient.in_(inboxes), Message.seq > after)  # type: ignore[attr-defined, operator]
                .order_by(Message.seq)
                .limit(_BATCH)
            )
        ).scalars()
        return [MessagePublic.model_validate(r) for r in rows]


async def _latest_seq(runtime: RuntimeDep, inboxes: list[str]) -> int:
    async with runtime.uow() as uow:
        latest = (
            await uow.session.execute(select(func.max(Message.seq)).where(Message.recipient.in_(inboxes)))
        ).scalar_one()  # type: ignore[attr-defined]
        return int(latest or 0)
