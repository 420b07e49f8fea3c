"""Live updates: Server-Sent Events of the caller's new messages.

* ``id:`` is the message's ``seq``; a client reconnecting with ``Last-Event-ID`` gets every message after
  it from the database, so nothing committed is missed across reconnects or replicas. "After" is in
  ``(writing transaction, seq)`` order below the oldest running transaction, so a message that commits
  late is sent when it commits, not passed over (issue 19, :mod:`onematter_kit.commit_order`). An id
  that is not one of the caller's (malformed, unknown, beyond every real id) replays every kept message.
* Streams never poll: each waits on the in-process hub, woken after a commit in this process or, from
  other replicas, by PostgreSQL NOTIFY (see :mod:`onematter_notification.service_layer.signals`).
* A comment line at least every ``sse_heartbeat_seconds`` keeps proxies from closing an idle stream.
* At most ``sse_max_streams_per_user`` streams per user and ``sse_max_streams`` in all are open in one
  process; one more is 429 problem+json with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse
from onematter_kit.errors import ProblemError
from onematter_kit.internal_auth import CurrentPrincipal
from onematter_kit.runtime import ServiceRuntime
from starlette.types import Receive, Scope, Send

from onematter_notification.domain.recipients import inboxes_of
from onematter_notification.domain.streams import StreamPosition, StreamSlots, resume_from
from onematter_notification.entrypoints.deps import (
    RuntimeDep,
    SettingsDep,
    SignalsDep,
    StreamSlotsDep,
    new_uow,
)
from onematter_notification.entrypoints.schemas import MessagePublic
from onematter_notification.service_layer import inbox as handlers
from onematter_notification.service_layer.signals import Signals

__all__ = ["TooManyStreams", "router"]

router = APIRouter(prefix="/api/v1/notifications", tags=["inbox"])
_BATCH = 100
#: The reconnection delay browsers are told (``retry:``, milliseconds).
_RETRY_MS = 2000
#: How soon a stream reads again while committed messages wait behind an older transaction (seconds).
_RECHECK_SECONDS = 0.05


class TooManyStreams(ProblemError):
    status, slug, title = 429, "too-many-streams", "Too many open streams"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after)}


@router.get(
    "/stream",
    summary="Server-Sent Events of new messages",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, 429: {"description": "Too many open streams"}},
)
async def stream(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    settings: SettingsDep,
    signals: SignalsDep,
    slots: StreamSlotsDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    if not slots.take(principal.subject):
        raise TooManyStreams(
            "This user or this service has as many live streams open as it allows; close one or retry later.",
            retry_after=settings.sse_retry_after_seconds,
        )
    release = _Release(slots, principal.subject)
    try:
        inboxes = inboxes_of(principal)
        await handlers.get_profile(principal, new_uow(runtime))
        after = await handlers.stream_start(inboxes, resume_from(last_event_id), new_uow(runtime))
    except BaseException:
        release()
        raise
    events = _events(runtime, signals, inboxes, after, heartbeat=settings.sse_heartbeat_seconds)
    return _CountedStream(events, release=release)


class _Release:
    """Gives the stream's slot back once, however the stream ends."""

    def __init__(self, slots: StreamSlots, subject: str) -> None:
        self._slots, self._subject, self._done = slots, subject, False

    def __call__(self) -> None:
        if not self._done:
            self._done = True
            self._slots.release(self._subject)


class _CountedStream(StreamingResponse):
    """A streaming response that gives its slot back when it ends: finished, disconnected or cancelled
    (a generator's ``finally`` would not run for a stream that never started)."""

    def __init__(self, content: AsyncIterator[str], *, release: _Release) -> None:
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        super().__init__(content, media_type="text/event-stream", headers=headers)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


async def _events(
    runtime: ServiceRuntime,
    signals: Signals,
    inboxes: list[str],
    after: StreamPosition,
    *,
    heartbeat: float,
) -> AsyncIterator[str]:
    with signals.inbox.listen(inboxes) as wake:
        yield f"retry: {_RETRY_MS}\n: connected\n\n"
        last_sent, woken, held = time.monotonic(), True, False
        while True:
            if woken:  # the database is read only when woken: a heartbeat alone reads nothing
                wake.clear()  # cleared before reading, so a commit during the read wakes the next wait
                batch = await handlers.messages_after(inboxes, after, new_uow(runtime), limit=_BATCH)
                for message in batch.messages:
                    after = StreamPosition(message.xact_id or 0, message.seq or 0)
                    data = MessagePublic.model_validate(message).model_dump_json()
                    yield f"id: {after.seq}\nevent: notification\ndata: {data}\n\n"
                held = batch.held_back
                if batch.messages:
                    last_sent = time.monotonic()
                    if len(batch.messages) == _BATCH:
                        continue
            quiet = heartbeat - (time.monotonic() - last_sent)
            # Held-back messages turn readable when an older transaction ends, which wakes nobody.
            within = min(quiet, _RECHECK_SECONDS) if held else quiet
            woken = quiet > 0 and (await _woken(wake, within) or held)
            if not woken:
                yield ": heartbeat\n\n"
                last_sent, woken = time.monotonic(), held


async def _woken(wake: asyncio.Event, within: float) -> bool:
    """Whether ``wake`` was set within ``within`` seconds."""
    try:
        async with asyncio.timeout(within):
            await wake.wait()
    except TimeoutError:
        return False
    return True
