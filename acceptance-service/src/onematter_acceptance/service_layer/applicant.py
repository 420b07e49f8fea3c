"""What the applicant does after acceptance: answer a 补正 request, withdraw, review (好差评)."""

from __future__ import annotations

from onematter_kit.errors import ValidationProblem
from onematter_kit.identity import Principal, Role

from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.materials import ownership_errors
from onematter_acceptance.domain.reviews import Rectification, Review
from onematter_acceptance.domain.supplement import Resumed
from onematter_acceptance.service_layer import events
from onematter_acceptance.service_layer.access import acting_applicant
from onematter_acceptance.service_layer.acting import record_use
from onematter_acceptance.service_layer.commands import (
    AnswerSupplement,
    ReviewApplication,
    WithdrawApplication,
)
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["answer_supplement", "review_application", "withdraw_application"]

WITHDRAWN_REASON = "withdrawn by the applicant"


async def answer_supplement(
    cmd: AnswerSupplement, uow: AcceptanceUnitOfWork, *, materials: MaterialClient, calendar: WorkCalendar
) -> list[Resumed]:
    """Hand in requested (补正) or deferred (容缺) materials; only tasks no longer waiting resume.

    409 once the application ended; 422 naming each material not asked for or not the applicant's.
    The material service is asked between the two transactions.
    """
    async with uow:
        application = await acting_applicant(uow, cmd.number, cmd.caller, lock=False)
        errors = application.supplement_problems(list(cmd.materials))
    owner = Principal(subject=application.applicant_id, roles=frozenset({Role.applicant}))
    owned = await materials.materials(owner, list(cmd.materials.values()))
    errors += ownership_errors(cmd.materials, owned)
    if errors:
        raise ValidationProblem("The supplement cannot be accepted.", errors=errors)
    async with uow:
        application = await acting_applicant(uow, cmd.number, cmd.caller)
        now = uow.clock.now()
        resumed = application.answer_supplement(
            cmd.materials, actor=cmd.caller.subject, now=now, calendar=calendar
        )
        await record_use(uow, application, cmd.caller, what="answer", material_ids=[*cmd.materials.values()])
        uow.emit(events.supplement_received(application, cmd.materials, resumed, received_at=now))
        await uow.commit()
    return resumed


async def withdraw_application(cmd: WithdrawApplication, uow: AcceptanceUnitOfWork) -> None:
    """Before 办结 only (409 after); the open tasks are cancelled and their departments told."""
    async with uow:
        application = await acting_applicant(uow, cmd.number, cmd.caller)
        cancelled = application.withdraw(actor=cmd.caller.subject, now=uow.clock.now())
        await record_use(uow, application, cmd.caller, what="withdraw")
        for task in cancelled:
            uow.emit(events.cancelled(task, application, reason=WITHDRAWN_REASON))
        uow.emit(events.withdrawn(application, cancelled))
        await uow.commit()


async def review_application(
    cmd: ReviewApplication, uow: AcceptanceUnitOfWork, *, calendar: WorkCalendar
) -> tuple[Review, Rectification | None]:
    """好差评, once, after 办结 (409 otherwise), by the applicant only; a bad review opens a rectification."""
    async with uow:
        application = await acting_applicant(uow, cmd.number, cmd.caller, clerk_may_act=False)
        review, rectification = application.review(
            level=cmd.level,
            comment=cmd.comment,
            reviewer=cmd.caller.subject,
            earlier=await uow.reviews.get(application.id),
            now=uow.clock.now(),
            calendar=calendar,
        )
        uow.reviews.add(review)
        if rectification is not None:
            uow.rectifications.add(rectification)
        uow.emit(events.review_submitted(application, review, rectification))
        await uow.commit()
    return review, rectification
