"""Electronic licences (电子证照): issuing one on an approval, its status on a day, and what a public
verification may show.

Dates on a licence (its number's date, ``valid_from``, the day its status is judged on) are dates in
China Standard Time (issue 15): an approval at 2026-11-30T20:04:52Z — 04:04 on 1 December in Beijing —
issues a licence dated 2026-12-01.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Protocol

from onematter_clock import china_date
from onematter_events.applications import TaskCompleted

__all__ = [
    "LicenceFacts",
    "LicenceStatus",
    "LicenceVerification",
    "NewLicence",
    "issue_date",
    "licence_for",
    "mask_name",
    "new_licence_number",
    "new_verification_code",
    "status_on",
    "verification",
]

# Crockford-like alphabet without look-alikes (0/O, 1/I/L), so a code read aloud or typed is unambiguous.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 20  # 31^20 ≈ 2^99: not guessable, not enumerable


class LicenceStatus(StrEnum):
    valid = "valid"
    expired = "expired"
    revoked = "revoked"


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
    genuine: bool = True


def new_verification_code() -> str:
    """A random, unguessable code printed on the licence; anyone holding it may verify the licence."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


def new_licence_number(*, licence_type: str, department: str, issued_on: date) -> str:
    """A licence number for departments that did not give one: type, department, date and a random tail."""
    tail = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{department.upper()}-{licence_type.upper()}-{issued_on:%Y%m%d}-{tail}"


def issue_date(approved_at: datetime) -> date:
    """The day in China on which an approval at ``approved_at`` issues its licence.

    Events from producers before issue 15 carried naive times, which were UTC; they are read as UTC.
    """
    day: date = china_date(approved_at if approved_at.tzinfo else approved_at.replace(tzinfo=UTC))
    return day


def licence_for(task: TaskCompleted, *, now: datetime) -> NewLicence | None:
    """The licence an approved task issues (免证办 later), or ``None`` when it issues none.

    Dated the day of the approval in China; numbered by the department when it gave a number.
    """
    if task.outcome != "approved" or not task.licence_type:
        return None
    issued_on = issue_date(task.completed_at)
    number = task.licence_number or new_licence_number(
        licence_type=task.licence_type, department=task.department, issued_on=issued_on
    )
    return NewLicence(
        licence_type=task.licence_type,
        number=number,
        holder_id=task.applicant_id,
        issuing_department=task.department,
        valid_from=issued_on,
        valid_until=task.licence_valid_until,
        verification_code=new_verification_code(),
        application_id=task.application_id,
        task_id=task.task_id,
        issued_at=now,
    )


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
    )
