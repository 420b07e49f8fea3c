"""Access tokens: the development identity provider that issues them and the verifier that checks them.

The verifier pins the algorithms of its one issuer and checks ``iss`` (exactly), ``aud``, ``exp``, ``nbf``;
it refuses ``alg=none``, HMAC algorithms (so an RS public key cannot be used as an HS256 secret), any
``crit`` extension, keys embedded in or pointed at by the token, and unknown ``kid``s.

A verified token is cached (bounded; the oldest entry goes first), so each token's signature is checked
once, not on every request. A cache hit is served only while the token's ``exp`` lies ahead (without the
leeway: a token in its leeway is verified again each time) and while the key that verified it is still
the key source's current key for its ``kid`` (:meth:`KeySource.current`): after a key rotation or a
withdrawn key the token is verified again, and refused if it no longer verifies. ``nbf`` needs no check
on a hit: it held when the token was verified and time only moves on.
"""

from __future__ import annotations

import re
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from onematter_kit.errors import UnauthorizedError
from onematter_kit.identity import Principal

from onematter_gateway.adapters.keys import KeySource

__all__ = ["AccessTokenVerifier", "DevelopmentIdentityProvider"]

#: Headers that would let a token choose its own verification key; a token must not.
_KEY_BEARING_HEADERS = frozenset({"jku", "jwk", "x5u", "x5c"})
_KID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
#: Tolerated clock skew between the issuer and the gateway.
_LEEWAY_SECONDS = 30


class DevelopmentIdentityProvider:
    """Signs access tokens for demo users with a key made at start-up (tokens die with the process)."""

    kid = "dev-1"

    def __init__(self, *, issuer: str, audience: str, ttl_seconds: int) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.issuer, self.audience, self.ttl = issuer, audience, ttl_seconds

    def public_key(self) -> Any:
        return self._key.public_key()

    def issue(self, principal: Principal) -> tuple[str, int]:
        now = int(time.time())
        claims = {
            **principal.to_claims(),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl,
        }
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid}), self.ttl


class AccessTokenVerifier:
    def __init__(
        self, *, issuer: str, audience: str, algorithms: list[str], keys: KeySource, cache_size: int = 50_000
    ) -> None:
        self._issuer, self._audience, self._algorithms, self._keys = issuer, audience, list(algorithms), keys
        #: What was verified (a token, or the whole ``Authorization`` value it came in) → (principal, the
        #: token's ``exp``, its ``kid``, the key that verified it). Insertion-ordered: the oldest is evicted.
        self._cache: dict[str | bytes, tuple[Principal, float, str, Any]] = {}
        self._cache_size = cache_size

    def cached(self, credential: str | bytes) -> Principal | None:
        """The principal of a credential verified before, if it is still valid; None otherwise (verify it).

        ``credential`` is what :meth:`verify` was told to remember it as (the token by default); the
        proxy uses the whole ``Authorization`` header value, so a hit costs one dictionary look-up."""
        entry = self._cache.get(credential)
        if entry is None:
            return None
        if entry[1] > time.time() and self._keys.current(entry[2]) is entry[3]:
            return entry[0]
        del self._cache[credential]
        return None

    async def verify(self, token: str, *, remember_as: str | bytes | None = None) -> Principal:
        """The token's principal; :class:`UnauthorizedError` for anything but a valid token of our issuer."""
        cached = self.cached(token)
        if cached is not None:
            return cached
        try:
            kid, key = await self._key_for(jwt.get_unverified_header(token))
            claims = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
            if claims["iss"] != self._issuer:  # exact, whatever the library's rules for lists are
                raise jwt.InvalidIssuerError("issuer")
            principal = Principal.from_claims(claims)
        except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
            raise UnauthorizedError(f"Invalid access token ({type(exc).__name__}).") from None
        self._remember(
            token if remember_as is None else remember_as, (principal, float(claims["exp"]), kid, key)
        )
        return principal

    async def _key_for(self, header: dict[str, Any]) -> tuple[str, Any]:
        if header.get("alg") not in self._algorithms:
            raise jwt.InvalidAlgorithmError("algorithm not allowed for this issuer")
        if "crit" in header:
            raise jwt.InvalidTokenError("no critical extensions are supported")
        if _KEY_BEARING_HEADERS & header.keys():
            raise jwt.InvalidTokenError("tokens may not name their own key")
        kid = header.get("kid")
        if not isinstance(kid, str) or not _KID.match(kid):
            raise jwt.InvalidKeyError("missing or malformed key id")
        key = await self._keys.key_for(kid)
        if key is None:
            raise jwt.InvalidKeyError("unknown key id")
        return kid, key

    def _remember(self, credential: str | bytes, entry: tuple[Principal, float, str, Any]) -> None:
        self._cache[credential] = entry
        if len(self._cache) > self._cache_size:
            del self._cache[next(iter(self._cache))]
