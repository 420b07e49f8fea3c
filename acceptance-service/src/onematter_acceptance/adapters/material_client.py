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
from onematter_kit.identity import Principal
from onematter_kit.internal_client import InternalClient

from onematter_acceptance.domain.materials import HeldLicence

__all__ = ["MaterialClient"]

#: The material service answers at most 100 ids per call (one page of its list).
_BATCH = 100
_INVALID_LICENCE_STATUSES = frozenset({"revoked", "expired", "suspended", "cancelled"})


class MaterialClient(InternalClient):
    """The material service's internal API (audience ``material``); see :class:`InternalClient`."""

    audience = "material"

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

    async def materials(self, owner: Principal, material_ids: list[str]) -> dict[str, str]:
        """Those of ``material_ids`` that ``owner`` owns: id → material type, in one call per 100 ids
        (``GET /api/v1/materials?ids=``).

        An id missing from the answer is not the owner's (or does not exist): the same as a 404 from
        ``GET /api/v1/materials/{id}``, which this replaces (one call instead of one per material).
        """
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(material_ids))
        for start in range(0, len(unique), _BATCH):
            chunk = unique[start : start + _BATCH]
            response = await self._get(owner, "/api/v1/materials", ids=",".join(chunk), limit=_BATCH)
            response.raise_for_status()
            items = response.json().get("items", [])
            found.update({m["id"]: str(m.get("material_type")) for m in items if m.get("id") in chunk})
        return found

    async def licences(self, owner: Principal, *, today: date) -> list[HeldLicence]:
        """The owner's licences that are valid on ``today`` (the date in China; 免证办 uses only those)."""
        response = await self._get(owner, "/api/v1/licences", limit=100)
        response.raise_for_status()
        return [
            HeldLicence(
                id=lic["id"],
                licence_type=lic["licence_type"],
                number=lic.get("number"),
                verification_code=lic.get("verification_code"),
            )
            for lic in response.json().get("items", [])
            if _valid(lic, today)
        ]

    async def aclose(self) -> None:
        await self._http.aclose()


def _valid(licence: dict[str, Any], today: date) -> bool:
    if str(licence.get("status", "valid")).lower() in _INVALID_LICENCE_STATUSES:
        return False
    until = licence.get("valid_until")
    return not until or date.fromisoformat(str(until)[:10]) >= today
