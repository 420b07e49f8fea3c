"""Who is calling: the principal the gateway verified, carried to services inside the internal token.

The gateway signs a short-lived token (HS256, ``iss`` = the signer, ``aud`` = the target service) for each
forwarded request; services accept no other proof of identity. Verified tokens are cached until they
expire, so a service pays for one verification per token, not per request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from enum import StrEnum
from typing import Any, Literal

import jwt
from pydantic import BaseModel, ConfigDict

from onematter_kit.errors import UnauthorizedError

__all__ = ["INTERNAL_HEADER", "InternalTokenSigner", "InternalTokenVerifier", "Principal", "Role"]

#: Services read identity only from this header; the gateway strips it from client requests.
INTERNAL_HEADER = "x-onematter-internal-token"
_ALGORITHM = "HS256"
#: The gateway, or a OneMatter service calling another one on a caller's behalf.
_ISSUER_PREFIX = "onematter-"


class Role(StrEnum):
    applicant = "applicant"
    clerk = "clerk"
    officer = "officer"
    supervisor = "supervisor"
    admin = "admin"
    service = "service"
    #: 12345 hotline: the operator taking calls (话务员), the dispatcher reviewing objections (派单员).
    hotline_operator = "hotline_operator"
    hotline_dispatcher = "hotline_dispatcher"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    roles: frozenset[Role]
    name: str | None = None
    #: The officer's department code.
    department: str | None = None
    #: For applicants: an individual (个人) or an enterprise (法人).
    applicant_kind: Literal["individual", "enterprise"] | None = None
    #: The enterprise (its applicant id) this person is the legal representative (法定代表人) of, as the
    #: identity provider asserts it (电子营业执照 / 法人一证通 login); such a person acts for it.
    legal_representative_of: str | None = None
    email: str | None = None
    locale: str = "zh-CN"

    def has(self, role: Role) -> bool:
        return role in self.roles

    def represents(self, enterprise_id: str | None) -> bool:
        """True when this person is the legal representative of ``enterprise_id`` (an applicant id)."""
        return bool(enterprise_id) and self.legal_representative_of == enterprise_id

    def to_claims(self) -> dict[str, Any]:
        claims: dict[str, Any] = {"sub": self.subject, "roles": sorted(self.roles), "locale": self.locale}
        for key, value in (
            ("name", self.name),
            ("dept", self.department),
            ("kind", self.applicant_kind),
            ("rep_of", self.legal_representative_of),
            ("email", self.email),
        ):
            if value is not None:
                claims[key] = value
        return claims

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        return cls(
            subject=claims["sub"],
            roles=frozenset(claims.get("roles", [])),
            name=claims.get("name"),
            department=claims.get("dept"),
            applicant_kind=claims.get("kind"),
            legal_representative_of=claims.get("rep_of"),
            email=claims.get("email"),
            locale=claims.get("locale", "zh-CN"),
        )


class InternalTokenSigner:
    """Signs internal tokens; reuses one per (principal, audience) for most of its short life."""

    def __init__(self, secret: str, *, issuer: str = "onematter-gateway", ttl_seconds: int = 60) -> None:
        self._secret = secret
        self._issuer = issuer
        self._ttl = ttl_seconds
        self._cache: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()

    def sign(self, principal: Principal, *, audience: str) -> str:
        now = time.time()
        cache_key = (principal.model_dump_json(), audience)
        cached = self._cache.get(cache_key)
        if cached is not None and cached[1] - now > self._ttl / 3:
            return cached[0]
        exp = now + self._ttl
        token = jwt.encode(
            {**principal.to_claims(), "iss": self._issuer, "aud": audience, "iat": int(now), "exp": int(exp)},
            self._secret,
            algorithm=_ALGORITHM,
        )
        self._cache[cache_key] = (token, exp)
        if len(self._cache) > 10_000:
            self._cache.popitem(last=False)
        return token


class InternalTokenVerifier:
    def __init__(self, secret: str, *, audience: str, cache_size: int = 10_000) -> None:
        self._secret = secret
        self._audience = audience
        self._cache: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._cache_size = cache_size

    def verify(self, token: str | None) -> Principal:
        if not token:
            raise UnauthorizedError("This service is reached only through the gateway (no internal token).")
        now = time.time()
        cached = self._cache.get(token)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                audience=self._audience,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
            if not str(claims["iss"]).startswith(_ISSUER_PREFIX):
                raise jwt.InvalidIssuerError("unknown issuer")
            principal = Principal.from_claims(claims)
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise UnauthorizedError(f"Invalid internal token: {type(exc).__name__}") from None
        self._cache[token] = (principal, float(claims["exp"]))
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal
