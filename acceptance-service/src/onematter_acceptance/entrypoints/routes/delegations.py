"""``/api/v1/delegations``: 帮办代办 as a delegation (委托) — grant, request by one-time code, confirm,
in-person check, list, revoke. Rules and errors: :mod:`onematter_acceptance.service_layer.delegations`."""

from __future__ import annotations

from fastapi import APIRouter
from onematter_kit.internal_auth import CurrentPrincipal

from onematter_acceptance.entrypoints.deps import UowDep
from onematter_acceptance.entrypoints.public.delegations import (
    CodeIn,
    DelegationIn,
    DelegationPublic,
    DelegationRequestIn,
    InPersonIn,
)
from onematter_acceptance.service_layer import delegations as handlers
from onematter_acceptance.service_layer.delegations import DelegationAsked

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/delegations", tags=["delegations"])


def _asked(
    principal: CurrentPrincipal, body: DelegationIn | DelegationRequestIn, other: str
) -> DelegationAsked:
    return DelegationAsked(
        caller=principal,
        other=other,
        matter_codes=tuple(body.matter_codes),
        actions=frozenset(body.actions),
        valid_until=body.valid_until,
    )


@router.get("")
async def list_delegations(principal: CurrentPrincipal, uow: UowDep) -> list[DelegationPublic]:
    """Granted by the caller (applicant) and granted to the caller (clerk or agent), newest first."""
    return [DelegationPublic.of(d) for d in await handlers.list_delegations(principal, uow)]


@router.get("/{delegation_id}")
async def read(delegation_id: str, principal: CurrentPrincipal, uow: UowDep) -> DelegationPublic:
    """One delegation, for its applicant or its delegate."""
    return DelegationPublic.of(await handlers.read_delegation(principal, delegation_id, uow))


@router.post("", status_code=201)
async def grant(body: DelegationIn, principal: CurrentPrincipal, uow: UowDep) -> DelegationPublic:
    """The applicant (or an enterprise's legal representative, naming it) grants a delegation; in force at
    once."""
    asked = _asked(principal, body, body.delegate_id)
    return DelegationPublic.of(await handlers.grant_delegation(asked, uow, for_enterprise=body.on_behalf_of))


@router.post("/requests", status_code=201)
async def request(body: DelegationRequestIn, principal: CurrentPrincipal, uow: UowDep) -> DelegationPublic:
    """A clerk asks; ``pending`` until the code sent to the applicant's inbox is confirmed."""
    asked = _asked(principal, body, body.applicant_id)
    return DelegationPublic.of(await handlers.request_delegation(asked, uow))


@router.post("/{delegation_id}/confirm")
async def confirm(
    delegation_id: str, body: CodeIn, principal: CurrentPrincipal, uow: UowDep
) -> DelegationPublic:
    """The clerk enters the code the applicant read from their own inbox."""
    cmd = handlers.ConfirmDelegation(caller=principal, delegation_id=delegation_id, code=body.code)
    return DelegationPublic.of(await handlers.confirm_delegation(cmd, uow))


@router.post("/in-person", status_code=201)
async def in_person(body: InPersonIn, principal: CurrentPrincipal, uow: UowDep) -> DelegationPublic:
    """帮办 for a person without a phone: the clerk records the identity check and the witness clerk."""
    cmd = handlers.InPersonCheck(
        asked=_asked(principal, body, body.applicant_id),
        document_type=body.document_type,
        document_number=body.document_number,
        witness_id=body.witness_id,
    )
    return DelegationPublic.of(await handlers.record_in_person_check(cmd, uow))


@router.post("/{delegation_id}/revoke")
async def revoke(delegation_id: str, principal: CurrentPrincipal, uow: UowDep) -> DelegationPublic:
    """The applicant revokes; every later use is refused."""
    return DelegationPublic.of(await handlers.revoke_delegation(principal, delegation_id, uow))
