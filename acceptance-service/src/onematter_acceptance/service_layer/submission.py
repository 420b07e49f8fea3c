"""一窗受理: submitting an application — validated, idempotent, numbered and dispatched in one transaction.

Contract: the same ``Idempotency-Key`` from the same caller with the same body returns the application
that key created (``created`` False); with another body it is a 409. The key's row is inserted first in
the submitting transaction; its primary key makes a concurrent duplicate fail and re-read the winner.
The material service is asked between two transactions, never while one is open.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from onematter_clock import china_date
from onematter_events.matters import MatterPublished
from onematter_kit.errors import ConflictError, ValidationProblem
from onematter_kit.identity import Principal

from onematter_acceptance.adapters.catalog_client import CatalogClient
from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_acceptance.domain.acceptance import Submission, accept
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.delegation import Delegation
from onematter_acceptance.domain.forms import form_errors
from onematter_acceptance.domain.materials import MaterialResolution, resolve_materials
from onematter_acceptance.service_layer import events
from onematter_acceptance.service_layer.acting import acting_for, used
from onematter_acceptance.service_layer.commands import SubmitApplication
from onematter_acceptance.service_layer.matters import known_matter
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["Submitted", "body_hash", "submit_application"]


@dataclass(frozen=True)
class Submitted:
    acceptance_number: str
    created: bool


def body_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


async def submit_application(
    cmd: SubmitApplication,
    uow: AcceptanceUnitOfWork,
    *,
    materials: MaterialClient,
    calendar: WorkCalendar,
    catalog: CatalogClient | None = None,
) -> Submitted:
    """Accept the submission, or answer a replay of its Idempotency-Key; 422 names every problem; 403 for
    a delegate without a delegation in force allowing ``submit`` for the matter (nothing stored). A matter
    not yet in the local copy is asked of ``catalog`` before the submission is refused as unknown."""
    acting = await acting_for(uow, cmd.caller, cmd.on_behalf_of, matter_code=cmd.matter_code, action="submit")
    applicant = acting.applicant
    digest = body_hash(cmd.body())
    async with uow:  # read only: a replay is answered without asking the material service
        replayed = await _replay(uow, cmd, digest)
    if replayed:
        return Submitted(replayed, created=False)
    found = await known_matter(uow, cmd.matter_code, caller=cmd.caller, catalog=catalog)
    matter = _taking(found, cmd.matter_code)
    resolution = await _check(
        cmd, matter=matter, applicant=applicant, materials=materials, today=uow.clock.today()
    )
    async with uow:
        number = await _accept(
            cmd,
            uow,
            digest=digest,
            applicant=applicant,
            matter=matter,
            resolution=resolution,
            calendar=calendar,
        )
        if number is None:
            await uow.rollback()  # a concurrent twin took the key first; answer with its application
            return Submitted(await _replay(uow, cmd, digest) or "", created=False)
        _tell_use(uow, acting.delegation, cmd, number)
        await uow.commit()
    return Submitted(number, created=True)


def _tell_use(
    uow: AcceptanceUnitOfWork, delegation: Delegation | None, cmd: SubmitApplication, number: str
) -> None:
    """A submission under a delegation goes to the applicant's access log (``delegation.used``)."""
    if delegation is not None:
        event = used(
            delegation,
            what="submit",
            matter_code=cmd.matter_code,
            at=uow.clock.now(),
            material_ids=list(cmd.materials.values()),
            acceptance_number=number,
        )
        uow.emit(event)


def _taking(matter: MatterPublished | None, code: str) -> MatterPublished:
    """The matter, if it takes applications (published, not retired); else a 422 on ``matter_code``."""
    if matter is None:
        raise ValidationProblem(
            "No such key matter takes applications.",
            errors=[{"field": "matter_code", "message": f"unknown matter {code!r}"}],
        )
    return matter


async def _replay(uow: AcceptanceUnitOfWork, cmd: SubmitApplication, digest: str) -> str | None:
    record = await uow.idempotency.find(cmd.caller.subject, cmd.idempotency_key)
    if record is None:
        return None
    if record.body_hash != digest:
        raise ConflictError("This Idempotency-Key was already used with a different request body.")
    return record.acceptance_number


async def _check(
    cmd: SubmitApplication,
    *,
    matter: MatterPublished,
    applicant: Principal,
    materials: MaterialClient,
    today: date,
) -> MaterialResolution:
    """Every form and material problem at once, each naming its field (422)."""
    owned, licences = await asyncio.gather(
        materials.materials(applicant, list(cmd.materials.values())),
        materials.licences(applicant, today=today),
    )
    resolution = resolve_materials(
        matter=matter,
        provided=cmd.materials,
        owned=owned,
        licences={held.licence_type: held for held in licences},
        form=cmd.form,
    )
    errors = form_errors(matter.form_schema, cmd.form) + resolution.errors
    if errors:
        raise ValidationProblem("The application is not complete.", errors=errors)
    return resolution


async def _accept(
    cmd: SubmitApplication,
    uow: AcceptanceUnitOfWork,
    *,
    digest: str,
    applicant: Principal,
    matter: MatterPublished,
    resolution: MaterialResolution,
    calendar: WorkCalendar,
) -> str | None:
    """Claim the key, then number, plan and store the application and emit it accepted and each task
    assigned; ``None`` when a concurrent twin claimed the key first."""
    application_id, now = str(uuid.uuid4()), uow.clock.now()
    key = (cmd.caller.subject, cmd.idempotency_key)
    if not await uow.idempotency.claim(*key, body_hash=digest, application_id=application_id, at=now):
        return None
    application = accept(
        Submission(applicant.subject, cmd.caller.subject, cmd.channel, cmd.form, cmd.on_behalf_of),
        application_id=application_id,
        sequence=await uow.applications.next_number(china_date(now)),
        now=now,
        matter=matter,
        resolution=resolution,
        earlier_material_ids=await uow.applications.material_ids_of(applicant.subject),
        calendar=calendar,
    )
    uow.applications.add(application)
    uow.emit(events.accepted(application))
    for task in application.tasks:
        uow.emit(events.assigned(task, application))
    return application.acceptance_number
