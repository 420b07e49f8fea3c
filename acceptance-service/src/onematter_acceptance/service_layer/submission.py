"""一窗受理: submitting an application — validated, idempotent, numbered and dispatched in one transaction.

Contract: the same ``Idempotency-Key`` from the same caller with the same body returns the application
that key created (``created`` False); with another body it is a 409. The key's row is inserted first in
the submitting transaction; its primary key makes a concurrent duplicate fail and re-read the winner.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from onematter_events.matters import MatterPublished
from onematter_kit.errors import ConflictError, ForbiddenError, ValidationProblem
from onematter_kit.identity import Principal, Role
from sqlalchemy.exc import IntegrityError

from onematter_acceptance.adapters.tables import Application, IdempotencyKey, Task
from onematter_acceptance.domain.applications import (
    ApplicationStatus,
    TaskPlan,
    TaskStatus,
    acceptance_number,
    plan_tasks,
)
from onematter_acceptance.domain.forms import form_errors
from onematter_acceptance.domain.materials import MaterialResolution, resolve_materials
from onematter_acceptance.domain.statistics import avoided_materials, count_for
from onematter_acceptance.service_layer.collaborators import Collaborators
from onematter_acceptance.service_layer.events import accepted_event, assigned_event

__all__ = ["SubmitApplication", "body_hash", "submit_application"]


@dataclass(frozen=True)
class SubmitApplication:
    caller: Principal
    idempotency_key: str
    matter_code: str
    form: dict[str, Any]
    materials: dict[str, str]
    channel: str
    on_behalf_of: str | None = None

    def body(self) -> dict[str, Any]:
        return {
            "matter_code": self.matter_code,
            "form": self.form,
            "materials": self.materials,
            "channel": self.channel,
            "on_behalf_of": self.on_behalf_of,
        }


def body_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def applicant_for(caller: Principal, on_behalf_of: str | None) -> Principal:
    """帮办代办: a clerk acts for the applicant it names; an applicant acts only for itself."""
    if caller.has(Role.clerk):
        if not on_behalf_of:
            raise ValidationProblem(
                "A clerk submits for an applicant.",
                errors=[{"field": "on_behalf_of", "message": "is required for a clerk"}],
            )
        return Principal(subject=on_behalf_of, roles=frozenset({Role.applicant}))
    if not caller.has(Role.applicant):
        raise ForbiddenError("Only applicants and window clerks submit applications.")
    if on_behalf_of and on_behalf_of != caller.subject:
        raise ForbiddenError("An applicant cannot submit on behalf of someone else.")
    return caller


async def submit_application(cmd: SubmitApplication, deps: Collaborators) -> tuple[str, bool]:
    """Returns ``(acceptance number, created)``."""
    applicant = applicant_for(cmd.caller, cmd.on_behalf_of)
    digest = body_hash(cmd.body())
    async with deps.uow() as uow:
        replay = await _replay(uow, cmd, digest)
        if replay:
            return replay, False
        row = await uow.current_matter(cmd.matter_code)
        # parsed inside the block: leaving it rolls back and expires the row
        matter = MatterPublished.model_validate(row.payload) if row is not None else None
    if matter is None:
        raise ValidationProblem(
            "No such key matter takes applications.",
            errors=[{"field": "matter_code", "message": f"unknown matter {cmd.matter_code!r}"}],
        )
    resolution = await _check(cmd, matter, applicant, deps)
    return await _accept(cmd, deps, matter=matter, applicant=applicant, resolution=resolution, digest=digest)


async def _replay(uow: Any, cmd: SubmitApplication, digest: str) -> str | None:
    key = await uow.session.get(IdempotencyKey, (cmd.caller.subject, cmd.idempotency_key))
    if key is None:
        return None
    if key.body_hash != digest:
        raise ConflictError("This Idempotency-Key was already used with a different request body.")
    application = await uow.session.get(Application, key.application_id)
    return application.acceptance_number


async def _check(
    cmd: SubmitApplication, matter: MatterPublished, applicant: Principal, deps: Collaborators
) -> MaterialResolution:
    """Every form and material problem at once, each naming its field (422)."""
    errors = form_errors(matter.form_schema, cmd.form)
    ids = list(dict.fromkeys(cmd.materials.values()))
    found, licences = await asyncio.gather(
        deps.materials.materials(applicant, ids),
        deps.materials.licences(applicant, today=deps.today()),
    )
    owned = {i: m["material_type"] for i, m in found.items()}
    held = {lic["licence_type"]: lic["id"] for lic in licences}
    resolution = resolve_materials(
        matter=matter, provided=cmd.materials, owned=owned, licences=held, form=cmd.form
    )
    errors += resolution.errors
    if errors:
        raise ValidationProblem("The application is not complete.", errors=errors)
    return _with_licence_details(resolution, {lic["id"]: lic for lic in licences})


def _with_licence_details(
    resolution: MaterialResolution, licences: dict[str, dict[str, Any]]
) -> MaterialResolution:
    """免证办: each licence reference carries the licence's number and verification code for the officer."""
    for kind, ref in resolution.refs.items():
        licence = licences.get(ref.licence_id or "")
        if licence is not None:
            resolution.refs[kind] = ref.model_copy(
                update={
                    "licence_number": licence.get("number"),
                    "licence_verification_code": licence.get("verification_code"),
                }
            )
    return resolution


async def _accept(
    cmd: SubmitApplication,
    deps: Collaborators,
    *,
    matter: MatterPublished,
    applicant: Principal,
    resolution: MaterialResolution,
    digest: str,
) -> tuple[str, bool]:
    application_id = str(uuid.uuid4())
    now = deps.now()
    async with deps.uow() as uow:
        uow.session.add(
            IdempotencyKey(
                caller=cmd.caller.subject,
                key=cmd.idempotency_key,
                body_hash=digest,
                application_id=application_id,
            )
        )
        try:
            await uow.session.flush()
        except IntegrityError:
            await uow.rollback()  # a concurrent twin won; answer with its application
            return await _replay(uow, cmd, digest) or "", False
        number = acceptance_number(now.date(), await uow.next_number(f"{now:%Y%m%d}"))
        plans = plan_tasks(
            matter=matter,
            form=cmd.form,
            resolution=resolution,
            calendar=deps.calendar,
            accepted_on=now.date(),
        )
        application = _application(
            cmd, matter, applicant, resolution, plans, deps, application_id=application_id, number=number
        )
        # 少交材料: recorded now, while it is known what the applicant had already given before
        avoided = avoided_materials(resolution.refs, await uow.material_ids_of(applicant.subject))
        application.materials_avoided = len(avoided)
        uow.session.add(application)
        tasks = [_task(plan, application, avoided) for plan in plans]
        uow.session.add_all(tasks)
        uow.record(
            application.id,
            actor=cmd.caller.subject,
            kind="accepted",
            channel=cmd.channel,
            acceptance_number=number,
            on_behalf_of=cmd.on_behalf_of,
            deferred=resolution.deferred,
        )
        uow.emit(accepted_event(application, tasks))
        for task in tasks:
            uow.emit(assigned_event(task, application))
        await uow.commit()
    return number, True


def _application(
    cmd: SubmitApplication,
    matter: MatterPublished,
    applicant: Principal,
    resolution: MaterialResolution,
    plans: list[TaskPlan],
    deps: Collaborators,
    *,
    application_id: str,
    number: str,
) -> Application:
    now = deps.now()
    supplement_due = (
        deps.calendar.add_working_days(now.date(), matter.supplement_days) if resolution.deferred else None
    )
    return Application(
        id=application_id,
        acceptance_number=number,
        matter_code=matter.matter_code,
        matter_version=matter.version,
        lead_department=matter.lead_department,
        applicant_id=applicant.subject,
        submitted_by=cmd.caller.subject,
        channel=cmd.channel,
        status=ApplicationStatus.in_progress,
        form=cmd.form,
        materials={k: v.model_dump(mode="json") for k, v in resolution.refs.items()},
        deferred_materials=resolution.deferred,
        supplement_due=supplement_due,
        accepted_at=now,
        deadline=max(p.deadline.due for p in plans),
        deadline_provisional=any(p.deadline.provisional for p in plans),
    )


def _task(plan: TaskPlan, application: Application, avoided: frozenset[str]) -> Task:
    return Task(
        id=str(uuid.uuid4()),
        application_id=application.id,
        item_code=plan.item_code,
        item_name_zh=plan.item_name_zh,
        department=plan.department,
        status=TaskStatus.in_progress,
        committed_days=plan.committed_days,
        started_on=plan.deadline.start,
        deadline=plan.deadline.due,
        deadline_provisional=plan.deadline.provisional,
        form=plan.form,
        materials=[m.model_dump(mode="json") for m in plan.materials],
        verify_after_commitment=plan.verify_after_commitment,
        issues_licence=plan.issues_licence,
        materials_avoided=count_for((m.material_type for m in plan.materials), avoided),
    )
