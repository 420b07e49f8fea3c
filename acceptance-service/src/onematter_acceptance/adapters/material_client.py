"""The material service, called directly on the applicant's behalf (never through the gateway).

Each call carries an internal token this service signs for the *applicant* with audience ``material``,
so the material service answers exactly what the applicant may see. Tests pass an
``httpx.MockTransport`` as ``transport=``; nothing here is patched.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from onematter_kit.errors import ServiceUnavailableError
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, Principal

__all__ = ["MaterialClient"]

_INVALID_LICENCE_STATUSES = frozenset({"revoked", "expired", "suspended", "cancelled"})


class MaterialClient:
    """Owns one ``httpx.AsyncClient``; the composition root closes it with :meth:`aclose`."""

    def __init__(
        self,
        *,
        base_url: str,
        signer: InternalTokenSigner,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._signer = signer
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    def _headers(self, owner: Principal) -> dict[str, str]:
        return {INTERNAL_HEADER: self._signer.sign(owner, audience="material")}

    async def _get(self, owner: Principal, path: str, **params: Any) -> httpx.Response:
        try:
            response = await self._http.get(path, headers=self._headers(owner), params=params or None)
        except httpx.HTTPError as exc:
            raise ServiceUnavailableError(
                f"The material service cannot be reached ({type(exc).__name__}); "
                "nothing was submitted, please retry."
            ) from None
        if response.status_code >= 500:
            raise ServiceUnavailableError(
                "The material service is unavailable; nothing was submitted, please retry."
            )
        return response

    async def material(self, owner: Principal, material_id: str) -> dict[str, Any] | None:
        """The material's metadata if ``owner`` owns it, else ``None`` (404 from the material service)."""
        response = await self._get(owner, f"/api/v1/materials/{material_id}")
        if response.status_code in (403, 404, 422):
            return None
        response.raise_for_status()
        return response.json()

    async def licences(self, owner: Principal, *, today: date | None = None) -> list[dict[str, Any]]:
        """The owner's licences that are valid today (免证办 uses only those)."""
        today = today or date.today()
        response = await self._get(owner, "/api/v1/licences", limit=100)
        response.raise_for_status()
        return [lic for lic in response.json().get("items", []) if _valid(lic, today)]

    async def aclose(self) -> None:
        await self._http.aclose()


def _valid(licence: dict[str, Any], today: date) -> bool:
    if str(licence.get("status", "valid")).lower() in _INVALID_LICENCE_STATUSES:
        return False
    until = licence.get("valid_until")
    return not until or date.fromisoformat(str(until)[:10]) >= today
