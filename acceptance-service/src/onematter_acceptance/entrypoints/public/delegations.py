"""A delegation (委托) as the applicant and the delegate read it: never the code or its hash, and of an
in-person identity check only the document type, the masked number, the witness and when."""

from __future__ import annotations

from typing import Annotated, Literal

from onematter_kit.clock import ChinaTime
from pydantic import BaseModel, ConfigDict, Field

from onematter_acceptance.domain.delegation import Delegation

__all__ = [
    "CodeIn",
    "DelegationIn",
    "DelegationPublic",
    "DelegationRequestIn",
    "IdentityCheckPublic",
    "InPersonIn",
]


#: An instant with an offset (e.g. ``2026-12-31T18:00:00+08:00``); a naive one is a 422.
Until = ChinaTime
Matters = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=64)]], Field(min_length=1, max_length=20)
]
Actions = Annotated[list[Literal["read", "submit"]], Field(min_length=1, max_length=2)]
Subject = Annotated[str, Field(min_length=1, max_length=128)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    matter_codes: Matters
    actions: Actions
    #: The end of the delegation, with an offset (at most a year ahead).
    valid_until: Until


class DelegationIn(_In):
    """The applicant grants: to a clerk or an agent (a family member, an enterprise's 经办人)."""

    delegate_id: Subject
    #: The enterprise granting, when its legal representative (法定代表人) grants for it (403 for anyone
    #: else); omitted: the caller grants for themselves.
    on_behalf_of: Subject | None = None


class DelegationRequestIn(_In):
    """A clerk at the window asks the applicant; the applicant gets a one-time code in their inbox."""

    applicant_id: Subject


class InPersonIn(DelegationRequestIn):
    """帮办 for a person without a phone: the identity document as read, and the witness clerk."""

    document_type: Literal["resident_id_card", "passport", "hk_macao_permit", "taiwan_permit", "other"]
    document_number: str = Field(min_length=4, max_length=64)
    witness_id: Subject


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[0-9]{6}$")


class IdentityCheckPublic(BaseModel):
    document_type: str
    number_masked: str
    witness_id: str
    checked_by: str
    checked_at: ChinaTime


class DelegationPublic(BaseModel):
    id: str
    applicant_id: str
    delegate_id: str
    matter_codes: list[str]
    actions: list[str]
    valid_until: ChinaTime
    status: Literal["pending", "active", "revoked", "refused"]
    #: How it came into force: granted by the applicant, a one-time code, or an in-person check.
    confirmed_by: Literal["applicant", "code", "in_person"]
    created_by: str
    created_at: ChinaTime
    confirmed_at: ChinaTime | None
    revoked_at: ChinaTime | None
    code_expires_at: ChinaTime | None
    identity_check: IdentityCheckPublic | None

    @staticmethod
    def of(d: Delegation) -> DelegationPublic:
        check = d.identity_check
        return DelegationPublic(
            id=d.id,
            applicant_id=d.terms.applicant_id,
            delegate_id=d.terms.delegate_id,
            matter_codes=list(d.terms.matter_codes),
            actions=sorted(d.terms.actions),
            valid_until=d.terms.valid_until,
            status=d.status,
            confirmed_by=d.confirmed_by,
            created_by=d.created_by,
            created_at=d.created_at,
            confirmed_at=d.confirmed_at,
            revoked_at=d.revoked_at,
            code_expires_at=d.code_expires_at,
            identity_check=None
            if check is None
            else IdentityCheckPublic(
                document_type=check.document_type,
                number_masked=check.number_masked,
                witness_id=check.witness_id,
                checked_by=check.checked_by,
                checked_at=check.checked_at,
            ),
        )
