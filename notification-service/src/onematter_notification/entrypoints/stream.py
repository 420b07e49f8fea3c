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
from onematter_kit.runtime import ServiceRuntime

from onematter_notification.domain.recipients import inboxes_of
from onematter_notification.entrypoints.deps import RuntimeDep, SettingsDep, SignalsDep, new_uow
from onematter_notification.entrypoints.schemas import MessagePublic
from onematter_notification.service_layer import inbox as handlers
from onematter_notification.service_layer.signals import Signals

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
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    settings: SettingsDep,
    signals: SignalsDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    inboxes = inboxes_of(principal)
    await handlers.get_profile(principal, new_uow(runtime))
    after = int(last_event_id) if last_event_id and last_event_id.strip().isdigit() else None
    if after is None:  # a fresh stream starts with what comes next
        after = await handlers.latest_seq(inboxes, new_uow(runtime))
    events = _events(
        runtime,
        signals,
        inboxes,
        after,
        poll=settings.sse_poll_seconds,
        heartbeat=settings.sse_heartbeat_seconds,
    )
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(
    runtime: ServiceRuntime,
    signals: Signals,
    inboxes: list[str],
    after: int,
    *,
    poll: float,
    heartbeat: float,
) -> AsyncIterator[str]:
    with signals.inbox.listen(inboxes) as wake:
        yield f"retry: {int(poll * 1000)}\n: connected\n\n"
        last_sent = time.monotonic()
        while True:
            wake.clear()  # cleared before reading, so a commit during the read wakes the next wait
            messages = await handlers.messages_after(inboxes, after, new_uow(runtime), limit=_BATCH)
            for message in messages:
                after = message.seq or after
                data = MessagePublic.model_validate(message).model_dump_json()
                yield f"id: {after}\nevent: notification\ndata: {data}\n\n"
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
