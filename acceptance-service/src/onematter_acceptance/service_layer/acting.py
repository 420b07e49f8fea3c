"""Who acts for whom (帮办代办): the caller itself; an enterprise (法人) by its legal representative
(法定代表人, asserted by the identity provider); or — naming another applicant — only a delegate under a
delegation in force for that matter and action (an enterprise's 经办人 holds one that its legal
representative granted).
Everything done under a delegation is told to the applicant's access log (``delegation.used``, recorded by
the material service, "who read my materials").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from onematter_events import CloudEvent, new_event
from onematter_events import delegations as ev
from onematter_kit.errors import ForbiddenError, ValidationProblem
from onematter_kit.identity import Principal, Role

from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.delegation import Action, Delegation
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = ["Acting", "What", "acting_for", "as_enterprise", "delegation_in_force", "record_use", "used"]

#: What was done under the delegation: form values, licences and earlier materials read, a submission,
#: a supplement (补正) handed in, or the application withdrawn.
What = Literal["prefill", "submit", "answer", "withdraw"]


@dataclass(frozen=True)
class Acting:
    """The applicant acted for, and the delegation it happens under (``None``: the applicant itself)."""

    applicant: Principal
    delegation: Delegation | None


async def acting_for(
    uow: AcceptanceUnitOfWork,
    caller: Principal,
    on_behalf_of: str | None,
    *,
    matter_code: str,
    action: Action,
) -> Acting:
    """422 for a clerk naming nobody; 403 (problem+json) unless a delegation is in force for this caller,
    applicant, matter and action; 403 for roles that neither apply nor act for applicants."""
    if not (caller.has(Role.clerk) or caller.has(Role.applicant)):
        raise ForbiddenError("Only applicants and their delegates act on applications.")
    if not on_behalf_of or on_behalf_of == caller.subject:
        if caller.has(Role.applicant):
            return Acting(caller, None)
        raise ValidationProblem(
            "A clerk acts for an applicant.",
            errors=[{"field": "on_behalf_of", "message": "is required for a clerk"}],
        )
    if caller.has(Role.applicant) and caller.represents(on_behalf_of):
        return Acting(as_enterprise(on_behalf_of), None)  # 法定代表人: the enterprise itself acts
    async with uow:
        delegation = await delegation_in_force(
            uow, applicant_id=on_behalf_of, delegate_id=caller.subject, matter_code=matter_code, action=action
        )
    applicant = Principal(subject=on_behalf_of, roles=frozenset({Role.applicant}))
    return Acting(applicant, delegation)


def as_enterprise(enterprise_id: str) -> Principal:
    """The enterprise as an applicant, when its legal representative acts for it."""
    return Principal(subject=enterprise_id, roles=frozenset({Role.applicant}), applicant_kind="enterprise")


async def delegation_in_force(
    uow: AcceptanceUnitOfWork, *, applicant_id: str, delegate_id: str, matter_code: str, action: Action
) -> Delegation:
    """The delegation ``applicant_id`` granted ``delegate_id`` that is in force now for this matter and
    action; 403 (problem+json) when there is none. Runs inside the caller's open unit of work."""
    granted = await uow.delegations.between(applicant_id, delegate_id)
    now = uow.clock.now()
    delegation = next(
        (d for d in granted if d.permits(delegate_id, matter_code=matter_code, action=action, now=now)),
        None,
    )
    if delegation is None:
        raise ForbiddenError(
            f"No delegation in force lets you {action} for this applicant on matter {matter_code}; "
            "ask the applicant to grant one (a one-time code or an in-person check at the window)."
        )
    return delegation


async def record_use(
    uow: AcceptanceUnitOfWork,
    application: Application,
    caller: Principal,
    *,
    what: What,
    material_ids: list[str] | None = None,
) -> None:
    """After a delegate acted on ``application`` (see ``access.acting_applicant``): ``delegation.used`` for
    the applicant's access log, in the handler's transaction, naming ``material_ids`` (``None``: the
    application's own materials). Nothing when the applicant (or its legal representative) acted itself."""
    if caller.subject == application.applicant_id or caller.represents(application.applicant_id):
        return
    delegation = await delegation_in_force(
        uow,
        applicant_id=application.applicant_id,
        delegate_id=caller.subject,
        matter_code=application.matter_code,
        action="submit",
    )
    uow.emit(
        used(
            delegation,
            what=what,
            matter_code=application.matter_code,
            at=uow.clock.now(),
            material_ids=material_ids if material_ids is not None else _materials_of(application),
            acceptance_number=application.acceptance_number,
        )
    )


def used(
    delegation: Delegation,
    *,
    what: What,
    matter_code: str,
    at: datetime,
    material_ids: list[str],
    acceptance_number: str | None = None,
) -> CloudEvent:
    """``delegation.used`` for the applicant's access log (who, which delegation, when, what)."""
    payload = ev.DelegationUsed(
        delegation_id=delegation.id,
        applicant_id=delegation.terms.applicant_id,
        delegate_id=delegation.terms.delegate_id,
        what=what,
        matter_code=matter_code,
        acceptance_number=acceptance_number,
        material_ids=sorted(set(material_ids)),
        used_at=at,
    )
    return new_event(ev.DELEGATION_USED, payload, subject=delegation.id)


def _materials_of(application: Application) -> list[str]:
    return [ref.material_id for ref in application.materials.values() if ref.material_id]
