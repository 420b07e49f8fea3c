"""Access tokens: the development identity provider that issues them and the verifier that checks them.

The verifier pins the algorithm (RS256) and checks ``iss``, ``aud``, ``exp``, ``nbf``; a verified token is
cached until it expires, so each token is verified once, not on every request.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from onematter_kit.errors import UnauthorizedError
from onematter_kit.identity import Principal

__all__ = ["AccessTokenVerifier", "DevelopmentIdentityProvider"]

_ALGORITHMS = ["RS256"]


class DevelopmentIdentityProvider:
    """Signs access tokens for demo users with a key made at start-up (tokens die with the process)."""

    kid = "dev-1"

    def __init__(self, *, issuer: str, audience: str, ttl_seconds: int) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.issuer, self.audience, self.ttl = issuer, audience, ttl_seconds

    @property
    def public_key_pem(self) -> bytes:
        return self._key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)

    def public_key(self) -> Any:
        return self._key.public_key()

    def issue(self, principal: Principal) -> tuple[str, int]:
        now = int(time.time())
        claims = {**principal.to_claims(), "iss": self.issuer, "aud": self.audience, "iat": now, "nbf": now,
                  "exp": now + self.ttl}
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid}), self.ttl


class AccessTokenVerifier:
    def __init__(self, *, issuer: str, audience: str, keys: dict[str, Any], cache_size: int = 50_000) -> None:
        self._issuer, self._audience, self._keys = issuer, audience, keys
        self._cache: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._cache_size = cache_size

    def verify(self, token: str) -> Principal:
        now = time.time()
        cached = self._cache.get(token)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            header = jwt.get_unverified_header(token)
            key = self._keys.get(header.get("kid", ""))
            if key is None:
                raise jwt.InvalidKeyError("unknown key id")
            claims = jwt.decode(token, key, algorithms=_ALGORITHMS, audience=self._audience, issuer=self._issuer,
                                options={"require": ["exp", "iat", "iss", "aud", "sub"]})
            principal = Principal.from_claims(claims)
        except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
            raise UnauthorizedError(f"Invalid access token ({type(exc).__name__}).") from None
        self._cache[token] = (principal, float(claims["exp"]))
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return principal
