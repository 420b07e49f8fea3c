"""并联办理: what a department officer does with its tasks — approve, reject, ask for a supplement (补正).

Object-level authorization: an officer acts only on tasks of its own department; any other task is a 404,
as if it did not exist. The application row is locked first, so two departments finishing at the same
moment still complete the application exactly once.
"""

from __future__ import annotations

from onematter_kit.errors import ValidationProblem

from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.supplement import SupplementWindow, request_problems
from onematter_acceptance.domain.task import Decision, Task
from onematter_acceptance.service_layer import events
from onematter_acceptance.service_layer.access import officers_task
from onematter_acceptance.service_layer.commands import DecideTask, RequestSupplement
from onematter_acceptance.service_layer.results import approval_licence
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["decide_task", "request_supplement"]


async def decide_task(cmd: DecideTask, uow: AcceptanceUnitOfWork, *, calendar: WorkCalendar) -> Task:
    """Approve or reject (409 unless the task runs); the last decision completes the application (办结)."""
    async with uow:
        task, application = await officers_task(uow, cmd.task_id, cmd.officer, lock=True)
        licence = await approval_licence(cmd, task, application, uow)  # the item's 办理结果, or 403/422
        decision = Decision(
            cmd.outcome,
            cmd.reason,
            licence.result.licence_type if licence else None,
            licence.number if licence else None,
        )
        completed = application.decide(
            task, decision, officer_id=cmd.officer.subject, now=uow.clock.now(), calendar=calendar
        )
        uow.emit(events.task_completed(task, application, licence=licence))
        if completed:
            uow.emit(events.completed(application))
        await uow.commit()
    return task


async def request_supplement(
    cmd: RequestSupplement, uow: AcceptanceUnitOfWork, *, calendar: WorkCalendar
) -> Task:
    """补正: the task waits until its due date, its clock pauses; the applicant gets one merged request.

    409 unless the task runs; 422 (``ValidationProblem`` listing ``errors``) for a material the task's item
    does not require or a due date not after today or beyond the maximum — and then nothing changes.
    """
    async with uow:
        task, application = await officers_task(uow, cmd.task_id, cmd.officer, lock=True)
        now = uow.clock.now()
        window = SupplementWindow.on(
            uow.clock.today(), calendar, default_days=task.terms.supplement.working_days
        )
        errors = request_problems(task, cmd.materials) + window.problems(cmd.due_on)
        if errors:
            raise ValidationProblem("The supplement request cannot be made.", errors=errors)
        application.request_supplement(
            task,
            materials=cmd.materials,
            reason=cmd.reason,
            officer_id=cmd.officer.subject,
            now=now,
            due=cmd.due_on or window.default,
        )
        uow.emit(events.task_supplement_requested(task, application, reason=cmd.reason))
        uow.emit(events.supplement_requested(application, requested_at=now))
        await uow.commit()
    return task
