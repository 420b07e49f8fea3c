"""Electronic licences (电子证照): numbers, verification codes, status and what verification may show."""

from __future__ import annotations

import secrets
from datetime import date
from enum import StrEnum

__all__ = ["LicenceStatus", "mask_name", "new_licence_number", "new_verification_code", "status_on"]

# Crockford-like alphabet without look-alikes (0/O, 1/I/L), so a code read aloud or typed is unambiguous.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 20  # 31^20 ≈ 2^99: not guessable, not enumerable


class LicenceStatus(StrEnum):
    valid = "valid"
    expired = "expired"
    revoked = "revoked"


def new_verification_code() -> str:
    """A random, unguessable code printed on the licence; anyone holding it may verify the licence."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


def new_licence_number(*, licence_type: str, department: str, issued_on: date) -> str:
    """A licence number for departments that did not give one: type, department, date and a random tail."""
    tail = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{department.upper()}-{licence_type.upper()}-{issued_on:%Y%m%d}-{tail}"


def status_on(stored: str, *, valid_until: date | None, today: date) -> LicenceStatus:
    """The status as of ``today``: a valid licence past its ``valid_until`` reads as expired."""
    status = LicenceStatus(stored)
    if status is LicenceStatus.valid and valid_until is not None and valid_until < today:
        return LicenceStatus.expired
    return status


def mask_name(name: str | None) -> str | None:
    """The holder's name as a public verification may show it: first character, the rest starred (张**)."""
    if not name:
        return None
    return name[0] + "*" * max(len(name) - 1, 1)
