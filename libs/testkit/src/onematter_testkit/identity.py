"""Principals and internal-token headers for calling a service directly in its own tests."""

from __future__ import annotations

from typing import Literal

from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, Principal, Role
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET

__all__ = ["internal_headers", "make_principal"]


def make_principal(
    subject: str,
    *roles: Role | str,
    department: str | None = None,
    applicant_kind: Literal["individual", "enterprise"] | None = None,
    email: str | None = None,
) -> Principal:
    kind: Literal["individual", "enterprise"] | None = applicant_kind or (
        "individual" if Role.applicant in roles else None
    )
    return Principal(
        subject=subject,
        roles=frozenset(Role(r) for r in roles),
        department=department,
        applicant_kind=kind,
        email=email,
    )


def internal_headers(
    principal: Principal, *, audience: str, secret: str = DEVELOPMENT_INTERNAL_SECRET
) -> dict[str, str]:
    token = InternalTokenSigner(secret, ttl_seconds=300).sign(principal, audience=audience)
    return {INTERNAL_HEADER: token}
