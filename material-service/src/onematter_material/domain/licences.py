"""Electronic licences (电子证照): issuing one on an approval, its status on a day, revoking or cancelling
it, and what a public verification may show.

Issuance follows the catalog item's declared result (办理结果, issue 16): an approval whose event carries no
result, names another type, or a department number that does not match the item's pattern issues nothing.

Dates on a licence (its number's date, ``valid_from``, the day its status is judged on) are dates in
China Standard Time (issue 15): an approval at 2026-11-30T20:04:52Z — 04:04 on 1 December in Beijing —
issues a licence dated 2026-12-01.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Protocol

from onematter_clock import china_date
from onematter_events.applications import TaskCompleted
from onematter_events.matters import ItemResult

__all__ = [
    "LicenceFacts",
    "LicenceNotChangeable",
    "LicenceStatus",
    "LicenceVerification",
    "NewLicence",
    "declared_result",
    "end_licence",
    "issue_date",
    "licence_for",
    "mask_name",
    "new_verification_code",
    "number_stem",
    "status_on",
    "verification",
]

# Crockford-like alphabet without look-alikes (0/O, 1/I/L), so a code read aloud or typed is unambiguous.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 20  # 31^20 ≈ 2^99: not guessable, not enumerable


class LicenceStatus(StrEnum):
    valid = "valid"
    expired = "expired"
    #: 吊销 — withdrawn by the issuing department as a sanction (e.g. obtained by a false commitment).
    revoked = "revoked"
    #: 注销 — ended by the issuing department without sanction (the holder gave it up, the entity closed).
    cancelled = "cancelled"


class LicenceNotChangeable(Exception):
    """The licence is already revoked or cancelled; ``str(error)`` says so."""


@dataclass(frozen=True, kw_only=True)
class NewLicence:
    """A licence about to be issued to ``holder_id`` (dates in China; ``issued_at`` aware)."""

    licence_type: str
    number: str
    holder_id: str
    issuing_department: str
    valid_from: date
    valid_until: date | None
    verification_code: str
    application_id: str
    task_id: str
    issued_at: datetime
    #: Whom the licence is about when not the holder (the newborn's certificate held by a parent).
    subject_name: str | None = None
    subject_id: str | None = None


class LicenceFacts(Protocol):
    """What verification needs to know of a stored licence."""

    @property
    def licence_type(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def issuing_department(self) -> str: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_until(self) -> date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def holder_name(self) -> str | None: ...
    @property
    def status_changed_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class LicenceVerification:
    """What a public verification shows: only what is printed on the licence, the name masked."""

    licence_type: str
    number: str
    issuing_department: str
    valid_from: date
    valid_until: date | None
    status: LicenceStatus
    holder_name_masked: str | None
    #: The day in China it was revoked or cancelled; None while it was never ended.
    status_changed_on: date | None = None
    genuine: bool = True

    @property
    def issued_on(self) -> date:
        """The issue date printed on the licence (its validity starts that day)."""
        return self.valid_from


def new_verification_code() -> str:
    """A random, unguessable code printed on the licence; anyone holding it may verify the licence."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


def number_stem(result: ItemResult, issued_on: date) -> str:
    """The generated number up to its sequence: ``<prefix>-<YYYYMMDD>-`` (the issue date in China)."""
    return f"{result.number_prefix}-{issued_on:%Y%m%d}-"


def declared_result(task: TaskCompleted) -> ItemResult | None:
    """The item's result if the approval may issue it: approved, with a result naming the same type and,
    for a department-numbered item, a number matching its pattern. Otherwise None: nothing is issued."""
    result = task.result
    if task.outcome != "approved" or result is None or task.licence_type != result.licence_type:
        return None
    if result.number_source == "department":
        number = task.licence_number or ""
        if result.number_pattern is None or re.fullmatch(result.number_pattern, number) is None:
            return None
    return result


def issue_date(approved_at: datetime) -> date:
    """The day in China on which an approval at ``approved_at`` issues its licence.

    Events from producers before issue 15 carried naive times, which were UTC; they are read as UTC.
    """
    day: date = china_date(approved_at if approved_at.tzinfo else approved_at.replace(tzinfo=UTC))
    return day


def licence_for(task: TaskCompleted, result: ItemResult, *, sequence: int, now: datetime) -> NewLicence:
    """The licence an approved task issues (see :func:`declared_result`), dated the approval's day in China.

    A generated number is ``<prefix>-<YYYYMMDD>-<sequence, 6 digits>``; ``sequence`` is this type's count on
    that day plus one. Validity never exceeds the item's rule, whatever the event says.
    """
    issued_on = issue_date(task.completed_at)
    if result.number_source == "department" and task.licence_number:
        number = task.licence_number
    else:
        number = f"{number_stem(result, issued_on)}{sequence:06d}"
    return NewLicence(
        licence_type=result.licence_type,
        number=number,
        holder_id=task.applicant_id,
        issuing_department=task.department,
        valid_from=issued_on,
        valid_until=_valid_until(result, task.licence_valid_until, issued_on=issued_on),
        verification_code=new_verification_code(),
        application_id=task.application_id,
        task_id=task.task_id,
        issued_at=now,
        subject_name=task.licence_subject_name,
        subject_id=task.licence_subject_id,
    )


def _valid_until(result: ItemResult, asked: date | None, *, issued_on: date) -> date | None:
    by_rule = result.valid_until_from(issued_on)
    if asked is None or by_rule is None or not issued_on <= asked <= by_rule:
        return by_rule
    return asked


def end_licence(current: str, action: LicenceStatus) -> LicenceStatus:
    """吊销 (``revoked``) or 注销 (``cancelled``) a licence that is still in force (valid, or merely past
    its date); raises :class:`LicenceNotChangeable` if it was already revoked or cancelled."""
    if action not in (LicenceStatus.revoked, LicenceStatus.cancelled):
        raise ValueError(f"not an ending: {action}")
    if LicenceStatus(current) in (LicenceStatus.revoked, LicenceStatus.cancelled):
        raise LicenceNotChangeable(f"The licence is already {current}.")
    return action


def status_on(stored: str, *, valid_until: date | None, today: date) -> LicenceStatus:
    """The status as of ``today`` (in China): a valid licence past its ``valid_until`` reads as expired."""
    status = LicenceStatus(stored)
    if status is LicenceStatus.valid and valid_until is not None and valid_until < today:
        return LicenceStatus.expired
    return status


def mask_name(name: str | None) -> str | None:
    """The holder's name as a public verification may show it: first character, the rest starred (张**)."""
    if not name:
        return None
    return name[0] + "*" * max(len(name) - 1, 1)


def verification(licence: LicenceFacts, *, today: date) -> LicenceVerification:
    """The public face of ``licence`` on ``today``: no holder id, the name masked."""
    return LicenceVerification(
        licence_type=licence.licence_type,
        number=licence.number,
        issuing_department=licence.issuing_department,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=status_on(licence.status, valid_until=licence.valid_until, today=today),
        holder_name_masked=mask_name(licence.holder_name),
        status_changed_on=issue_date(licence.status_changed_at) if licence.status_changed_at else None,
    )
