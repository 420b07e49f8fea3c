"""督办 — a worker round: every dispatched request past its due date (China) is escalated once per round."""

from __future__ import annotations

import logging

from onematter_events import hotline as hotline_events
from onematter_events import new_event
from onematter_kit.backoff import Backoff, run_forever
from onematter_kit.runtime import ServiceRuntime

from onematter_hotline.service_layer.unit_of_work import HotlineUnitOfWork

__all__ = ["escalate_overdue", "escalation_worker"]

log = logging.getLogger("onematter.hotline.escalation")


async def escalate_overdue(uow: HotlineUnitOfWork) -> int:
    """Escalate what is overdue today and emit ``hotline.request-escalated`` for each; returns how many."""
    async with uow:
        today = uow.clock.today()
        overdue = [r for r in await uow.requests.due_before(today) if r.overdue(today)]
        for request in overdue:
            request.escalate(today)
            assert request.office is not None and request.due_on is not None
            payload = hotline_events.RequestEscalated(
                request_id=request.id, office=request.office, due_on=request.due_on, round=request.round
            )
            uow.emit(new_event(hotline_events.REQUEST_ESCALATED, payload))
            await uow.requests.save(request)
        await uow.commit()
    return len(overdue)


async def escalation_worker(runtime: ServiceRuntime[HotlineUnitOfWork]) -> None:
    """Run until cancelled: one round every ``escalation_interval_seconds``; back off while the database
    is down."""
    every = float(getattr(runtime.settings, "escalation_interval_seconds", 60.0))
    await run_forever(
        lambda: escalate_overdue(runtime.uow()),
        every=every,
        backoff=Backoff(initial=1.0, maximum=30.0),
        log=log,
        what="cannot escalate overdue requests yet",
    )
