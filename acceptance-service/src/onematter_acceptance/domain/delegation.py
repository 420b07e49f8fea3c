"""帮办代办 as a delegation (委托): who may act for an applicant, for which matters, doing what, until when.

Rules (issue 16, bullet 1; 国发〔2024〕3号 on 帮办代办):

* A delegation names the applicant (委托人), the delegate (受托人: a window clerk, or an agent such as a
  family member or an enterprise's 经办人), the key matters it covers (at least one) and the actions:
  ``read`` (prefill, the applicant's materials) and/or ``submit`` (apply, upload into the locker).
* It comes into force in one of three ways: the applicant grants it in their own account (``applicant``);
  a clerk at the window starts it and the applicant confirms it with a one-time code delivered to their own
  inbox (``code``; the code is stored hashed, expires after :data:`CODE_TTL`, :data:`MAX_ATTEMPTS` wrong
  tries close it); or, for a person without a phone, the clerk records an in-person identity check with a
  witness clerk (``in_person``; the document number stored masked and hashed, shown to the applicant).
* It is in force until ``valid_until`` (an instant; shown as China time) or until the applicant revokes it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

__all__ = [
    "CODE_TTL",
    "MAX_ATTEMPTS",
    "MAX_VALIDITY",
    "Action",
    "Delegation",
    "DelegationProblem",
    "DelegationStatus",
    "IdentityCheck",
    "Terms",
    "hash_secret",
    "mask_document_number",
]

Action = Literal["read", "submit"]
DelegationStatus = Literal["pending", "active", "revoked", "refused"]
Confirmation = Literal["applicant", "code", "in_person"]

#: How long a one-time code may be used, and how many wrong codes close the request.
CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
#: Least privilege: a delegation lasts at most a year (an applicant may grant a new one).
MAX_VALIDITY = timedelta(days=366)


class DelegationProblem(ValueError):
    """A rule of this module refused the change; the message names it (no personal data)."""


def hash_secret(secret: str, *, salt: str) -> str:
    """Hex SHA-256 of ``salt:secret`` — one-time codes and document numbers are never stored in clear."""
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def mask_document_number(number: str) -> str:
    """``110101********1234`` — the first and last four characters, the rest masked (at least four)."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


@dataclass(frozen=True, kw_only=True)
class Terms:
    """What the applicant delegates: to whom, which matters, which actions, until when."""

    applicant_id: str
    delegate_id: str
    matter_codes: tuple[str, ...]
    actions: frozenset[Action]
    valid_until: datetime

    def problems(self, now: datetime) -> list[str]:
        """Every rule the terms break, as messages; empty when they may be granted."""
        found = []
        if self.delegate_id == self.applicant_id:
            found.append("a delegation names someone other than the applicant")
        if not self.matter_codes:
            found.append("a delegation names at least one key matter")
        if not self.actions:
            found.append("a delegation allows read and/or submit")
        if not now < self.valid_until <= now + MAX_VALIDITY:
            found.append("valid_until lies in the future, within a year")
        return found


@dataclass(frozen=True, kw_only=True)
class IdentityCheck:
    """An in-person identity check at the window (帮办 for a person without a phone)."""

    document_type: str
    number_masked: str
    number_hash: str
    witness_id: str
    checked_by: str
    checked_at: datetime


@dataclass(kw_only=True)
class Delegation:
    """The aggregate; ``code_hash`` and ``code_expires_at`` only while a code confirmation is pending."""

    id: str
    terms: Terms
    status: DelegationStatus
    confirmed_by: Confirmation
    created_by: str
    created_at: datetime
    confirmed_at: datetime | None = None
    revoked_at: datetime | None = None
    code_hash: str | None = None
    code_expires_at: datetime | None = None
    attempts: int = 0
    identity_check: IdentityCheck | None = field(default=None)

    @classmethod
    def granted(cls, *, id: str, terms: Terms, now: datetime) -> Delegation:
        """The applicant grants it in their own account: in force at once."""
        _check(terms, now)
        return cls(
            id=id,
            terms=terms,
            status="active",
            confirmed_by="applicant",
            created_by=terms.applicant_id,
            created_at=now,
            confirmed_at=now,
        )

    @classmethod
    def requested(cls, *, id: str, terms: Terms, code: str, now: datetime) -> Delegation:
        """A clerk starts it; pending until the applicant's one-time ``code`` is entered."""
        _check(terms, now)
        return cls(
            id=id,
            terms=terms,
            status="pending",
            confirmed_by="code",
            created_by=terms.delegate_id,
            created_at=now,
            code_hash=hash_secret(code, salt=id),
            code_expires_at=now + CODE_TTL,
        )

    @classmethod
    def checked_in_person(cls, *, id: str, terms: Terms, check: IdentityCheck) -> Delegation:
        """A clerk checked the applicant's identity document with a witness clerk: in force at once."""
        _check(terms, check.checked_at)
        if check.witness_id in (check.checked_by, terms.applicant_id):
            raise DelegationProblem("the witness is another clerk, not the acting clerk or the applicant")
        now = check.checked_at
        return cls(
            id=id,
            terms=terms,
            status="active",
            confirmed_by="in_person",
            created_by=check.checked_by,
            created_at=now,
            confirmed_at=now,
            identity_check=check,
        )

    def confirm(self, code: str, *, now: datetime) -> bool:
        """Enter the applicant's code: True and in force when it matches; a wrong, late or spent code is
        False (the attempt counts; the request is refused after :data:`MAX_ATTEMPTS` or after expiry)."""
        if self.status != "pending" or self.code_hash is None or self.code_expires_at is None:
            raise DelegationProblem("this delegation is not waiting for a code")
        self.attempts += 1
        late = now > self.code_expires_at
        if not late and hmac.compare_digest(self.code_hash, hash_secret(code, salt=self.id)):
            self.status, self.confirmed_at = "active", now
            self.code_hash = self.code_expires_at = None
            return True
        if late or self.attempts >= MAX_ATTEMPTS:
            self.status, self.code_hash = "refused", None
        return False

    def revoke(self, *, now: datetime) -> None:
        """The applicant withdraws it (also a pending one); revoking twice changes nothing."""
        if self.status in ("pending", "active"):
            self.status, self.revoked_at, self.code_hash = "revoked", now, None

    def permits(self, delegate_id: str, *, matter_code: str, action: Action, now: datetime) -> bool:
        """In force at ``now`` for this delegate, this matter and this action."""
        terms = self.terms
        return (
            self.status == "active"
            and terms.delegate_id == delegate_id
            and matter_code in terms.matter_codes
            and action in terms.actions
            and now < terms.valid_until
        )

    def public(self) -> Delegation:
        """A copy without the code's hash, for answers."""
        return replace(self, code_hash=None)


def _check(terms: Terms, now: datetime) -> None:
    problems = terms.problems(now)
    if problems:
        raise DelegationProblem("; ".join(problems))
