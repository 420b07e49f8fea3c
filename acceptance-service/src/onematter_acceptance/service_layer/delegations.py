"""Delegations (委托, 帮办代办): granted by the applicant, started at the window by a clerk and confirmed
with the applicant's one-time code, or recorded by a clerk after an in-person identity check; revoked by
the applicant; listed for both sides. Rules: :mod:`onematter_acceptance.domain.delegation`.

Errors: 403 for a role that may not do this; 404 for a delegation that is not the caller's (its existence
is not disclosed); 409 for a delegation not waiting for a code; 422 naming the broken rule.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from onematter_events import CloudEvent, new_event
from onematter_events import delegations as ev
from onematter_kit.errors import ConflictError, ForbiddenError, NotFoundError, ValidationProblem
from onematter_kit.identity import Principal, Role

from onematter_acceptance.domain.delegation import (
    Action,
    Delegation,
    DelegationProblem,
    IdentityCheck,
    Terms,
    hash_secret,
    mask_document_number,
)
from onematter_acceptance.service_layer.unit_of_work import AcceptanceUnitOfWork

__all__ = [
    "ConfirmDelegation",
    "DelegationAsked",
    "InPersonCheck",
    "confirm_delegation",
    "grant_delegation",
    "list_delegations",
    "read_delegation",
    "record_in_person_check",
    "request_delegation",
    "revoke_delegation",
]


@dataclass(frozen=True, kw_only=True)
class DelegationAsked:
    """Grant (the applicant names ``other``: the delegate) or request (a clerk names ``other``: the
    applicant): the matters, actions and end of a delegation."""

    caller: Principal
    other: str
    matter_codes: tuple[str, ...]
    actions: frozenset[Action]
    valid_until: datetime


@dataclass(frozen=True, kw_only=True)
class ConfirmDelegation:
    caller: Principal
    delegation_id: str
    code: str


@dataclass(frozen=True, kw_only=True)
class InPersonCheck:
    """帮办 for a person without a phone: the document as read at the window and the witness clerk."""

    asked: DelegationAsked
    document_type: str
    document_number: str
    witness_id: str


def _terms(asked: DelegationAsked, *, applicant_id: str, delegate_id: str) -> Terms:
    return Terms(
        applicant_id=applicant_id,
        delegate_id=delegate_id,
        matter_codes=tuple(dict.fromkeys(asked.matter_codes)),
        actions=asked.actions,
        valid_until=asked.valid_until,
    )


async def _known_matters(uow: AcceptanceUnitOfWork, codes: tuple[str, ...]) -> None:
    unknown = [code for code in codes if await uow.matters.current(code) is None]
    if unknown:
        raise ValidationProblem(
            "A delegation names key matters that take applications.",
            errors=[{"field": "matter_codes", "message": f"unknown matter {code!r}"} for code in unknown],
        )


def _problem(exc: DelegationProblem) -> ValidationProblem:
    return ValidationProblem(
        "The delegation cannot be made.", errors=[{"field": "body", "message": str(exc)}]
    )


async def grant_delegation(
    asked: DelegationAsked, uow: AcceptanceUnitOfWork, *, for_enterprise: str | None = None
) -> Delegation:
    """The applicant grants a delegation in their own account (to a clerk or an agent): in force at once.
    ``for_enterprise``: the enterprise (法人) granting, e.g. to its 经办人 — only its legal representative
    (法定代表人) may name it (403 otherwise, nothing stored)."""
    caller = asked.caller
    if not caller.has(Role.applicant):
        raise ForbiddenError("Only the applicant grants a delegation.")
    if for_enterprise and for_enterprise != caller.subject and not caller.represents(for_enterprise):
        raise ForbiddenError("Only the enterprise's legal representative grants a delegation for it.")
    terms = _terms(asked, applicant_id=for_enterprise or caller.subject, delegate_id=asked.other)
    async with uow:
        await _known_matters(uow, terms.matter_codes)
        try:
            delegation = Delegation.granted(id=str(uuid.uuid4()), terms=terms, now=uow.clock.now())
        except DelegationProblem as exc:
            raise _problem(exc) from None
        uow.delegations.add(delegation)
        await uow.commit()
    return delegation


async def request_delegation(asked: DelegationAsked, uow: AcceptanceUnitOfWork) -> Delegation:
    """A clerk at the window asks; a six-digit code goes to the applicant's own inbox, never to the clerk."""
    if not asked.caller.has(Role.clerk):
        raise ForbiddenError("Only a window clerk asks an applicant for a delegation.")
    terms = _terms(asked, applicant_id=asked.other, delegate_id=asked.caller.subject)
    code = f"{secrets.randbelow(10**6):06d}"
    async with uow:
        await _known_matters(uow, terms.matter_codes)
        try:
            delegation = Delegation.requested(
                id=str(uuid.uuid4()), terms=terms, code=code, now=uow.clock.now()
            )
        except DelegationProblem as exc:
            raise _problem(exc) from None
        uow.delegations.add(delegation)
        uow.emit(_code_issued(delegation, code))
        await uow.commit()
    return delegation


def _code_issued(delegation: Delegation, code: str) -> CloudEvent:
    terms = delegation.terms
    assert delegation.code_expires_at is not None
    payload = ev.DelegationCodeIssued(
        delegation_id=delegation.id,
        applicant_id=terms.applicant_id,
        delegate_id=terms.delegate_id,
        matter_codes=list(terms.matter_codes),
        actions=sorted(terms.actions),
        code=code,
        expires_at=delegation.code_expires_at,
    )
    return new_event(ev.DELEGATION_CODE_ISSUED, payload, subject=delegation.id)


async def confirm_delegation(cmd: ConfirmDelegation, uow: AcceptanceUnitOfWork) -> Delegation:
    """The clerk enters the code the applicant read from their inbox. A wrong code is a 422 that counts
    as an attempt (committed); the request is refused after too many or after expiry."""
    async with uow:
        delegation = await uow.delegations.get(cmd.delegation_id, lock=True)
        if delegation is None or delegation.terms.delegate_id != cmd.caller.subject:
            raise NotFoundError(f"No delegation {cmd.delegation_id}.")
        try:
            confirmed = delegation.confirm(cmd.code, now=uow.clock.now())
        except DelegationProblem as exc:
            raise ConflictError(str(exc)) from None
        await uow.commit()
    if not confirmed:
        left = "; ask for a new code" if delegation.status == "refused" else ""
        raise ValidationProblem(
            "The code does not confirm this delegation.",
            errors=[{"field": "code", "message": f"wrong or expired code{left}"}],
        )
    return delegation


async def record_in_person_check(cmd: InPersonCheck, uow: AcceptanceUnitOfWork) -> Delegation:
    """The clerk checked the applicant's identity document in person, with a witness clerk; the number is
    stored masked and hashed (salted with the delegation id), and the applicant sees the check."""
    asked = cmd.asked
    if not asked.caller.has(Role.clerk):
        raise ForbiddenError("Only a window clerk records an in-person identity check.")
    terms = _terms(asked, applicant_id=asked.other, delegate_id=asked.caller.subject)
    delegation_id = str(uuid.uuid4())
    async with uow:
        await _known_matters(uow, terms.matter_codes)
        check = IdentityCheck(
            document_type=cmd.document_type,
            number_masked=mask_document_number(cmd.document_number),
            number_hash=hash_secret(cmd.document_number, salt=delegation_id),
            witness_id=cmd.witness_id,
            checked_by=asked.caller.subject,
            checked_at=uow.clock.now(),
        )
        try:
            delegation = Delegation.checked_in_person(id=delegation_id, terms=terms, check=check)
        except DelegationProblem as exc:
            raise _problem(exc) from None
        uow.delegations.add(delegation)
        await uow.commit()
    return delegation


async def revoke_delegation(caller: Principal, delegation_id: str, uow: AcceptanceUnitOfWork) -> Delegation:
    """Only the applicant who granted it (an enterprise's: also its legal representative); from then on
    every use is refused (403)."""
    async with uow:
        delegation = await uow.delegations.get(delegation_id, lock=True)
        if delegation is None or not _grantor(caller, delegation):
            raise NotFoundError(f"No delegation {delegation_id}.")
        delegation.revoke(now=uow.clock.now())
        await uow.commit()
    return delegation


async def read_delegation(caller: Principal, delegation_id: str, uow: AcceptanceUnitOfWork) -> Delegation:
    """For its applicant and its delegate only (404 for anyone else). The material service asks this, as
    the delegate, before a delegate uploads into the applicant's locker."""
    async with uow:
        delegation = await uow.delegations.get(delegation_id)
    if delegation is None or not (
        _grantor(caller, delegation) or caller.subject == delegation.terms.delegate_id
    ):
        raise NotFoundError(f"No delegation {delegation_id}.")
    return delegation


def _grantor(caller: Principal, delegation: Delegation) -> bool:
    applicant_id = delegation.terms.applicant_id
    return caller.subject == applicant_id or caller.represents(applicant_id)


async def list_delegations(caller: Principal, uow: AcceptanceUnitOfWork) -> list[Delegation]:
    """Those the caller granted (as applicant) and those granted to the caller (as delegate), newest first;
    for a legal representative also those of the enterprise they represent."""
    async with uow:
        found = await uow.delegations.involving(caller.subject)
        if caller.legal_representative_of:
            found += await uow.delegations.involving(caller.legal_representative_of)
    unique = {d.id: d for d in found}
    return sorted(unique.values(), key=lambda d: d.created_at, reverse=True)
