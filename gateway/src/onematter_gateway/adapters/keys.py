"""Where the access-token verifier finds public keys: a fixed set (development) or an issuer's JWKS.

The JWKS is fetched only from the URL in the settings — never from a URL or key a token names (``jku``,
``x5u``, ``jwk`` headers are refused by the verifier). Keys are cached; an unknown ``kid`` refetches the
set, but at most once per ``min_refresh_seconds``, so a flood of forged kids cannot flood the issuer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

import httpx
import jwt

__all__ = ["JwksKeySource", "KeySource", "StaticKeySource"]

log = logging.getLogger("onematter.gateway.jwks")


class KeySource(Protocol):
    async def key_for(self, kid: str) -> Any | None:
        """The verification key with this ``kid``, or None when the issuer has no such key."""
        ...

    def current(self, kid: str) -> Any | None:
        """The key with this ``kid`` as held now, without fetching: None when there is none or the held
        set is due for a refresh. The verifier's cache of verified tokens asks this on every hit, so a
        token whose key was withdrawn or replaced is verified again (and refused) instead of served."""
        ...


class StaticKeySource:
    def __init__(self, keys: dict[str, Any]) -> None:
        self._keys = keys

    async def key_for(self, kid: str) -> Any | None:
        return self._keys.get(kid)

    def current(self, kid: str) -> Any | None:
        return self._keys.get(kid)


class JwksKeySource:
    """Signing keys of one external OIDC issuer, from its JWKS document (RFC 7517)."""

    def __init__(
        self,
        url: str,
        *,
        algorithms: list[str],
        cache_seconds: float = 3600,
        min_refresh_seconds: float = 30,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url, self._algorithms = url, set(algorithms)
        self._cache_seconds, self._min_refresh = cache_seconds, min_refresh_seconds
        self._client = httpx.AsyncClient(timeout=5.0, transport=transport, follow_redirects=False)
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str) -> Any | None:
        age = time.monotonic() - self._fetched_at
        if kid not in self._keys or age > self._cache_seconds:
            await self._refresh()
        return self._keys.get(kid)

    def current(self, kid: str) -> Any | None:
        if time.monotonic() - self._fetched_at > self._cache_seconds:
            return None  # due for a refresh: the caller verifies again through key_for, which fetches
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        async with self._lock:  # concurrent unknown kids share one fetch
            if time.monotonic() - self._fetched_at < self._min_refresh:
                return
            self._fetched_at = time.monotonic()
            try:
                response = await self._client.get(self._url)
                response.raise_for_status()
                self._keys = self._parse(response.json())
            except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
                # Keep the keys we had: an issuer outage must not log everybody out.
                log.warning("jwks refresh failed", extra={"error": type(exc).__name__})

    def _parse(self, document: dict[str, Any]) -> dict[str, Any]:
        keys: dict[str, Any] = {}
        for entry in document.get("keys", []):
            if entry.get("use", "sig") != "sig" or not entry.get("kid"):
                continue
            if entry.get("alg") and entry["alg"] not in self._algorithms:
                continue
            try:
                keys[entry["kid"]] = jwt.PyJWK.from_dict(entry).key
            except jwt.PyJWTError:
                log.warning("jwks key skipped", extra={"kid": entry.get("kid")})
        return keys

    async def close(self) -> None:
        await self._client.aclose()
