"""The acceptance service, asked about one delegation on the delegate's behalf (never through the gateway).

The internal token is signed for the *delegate* (the caller of the upload) with audience ``acceptance``,
so acceptance answers only a delegation granted to (or by) that caller — 404 otherwise. Tests pass an
``httpx.MockTransport`` as ``transport=``.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

import httpx
from onematter_kit.errors import ServiceUnavailableError
from onematter_kit.identity import Principal
from onematter_kit.internal_client import InternalClient

from onematter_material.domain.delegations import DelegationFacts

__all__ = ["DelegationClient"]


class DelegationClient(InternalClient):
    """Acceptance's delegation API (audience ``acceptance``); see :class:`InternalClient`."""

    audience = "acceptance"

    async def get(self, delegate: Principal, delegation_id: str) -> DelegationFacts | None:
        """The delegation as acceptance answers it to ``delegate``; ``None`` when it is not theirs."""
        headers = self._headers(delegate)
        try:
            # Quoted: the id is the client's form field, and a control character in it is no URL (500).
            path = f"/api/v1/delegations/{quote(delegation_id, safe='')}"
            response = await self._http.get(path, headers=headers)
        except httpx.HTTPError as exc:
            raise ServiceUnavailableError(
                f"Delegations cannot be checked now ({type(exc).__name__}); nothing was stored."
            ) from None
        if response.status_code in (403, 404, 422):
            return None
        if response.status_code != 200:
            raise ServiceUnavailableError("Delegations cannot be checked now; nothing was stored.")
        body = response.json()
        return DelegationFacts(
            id=body["id"],
            applicant_id=body["applicant_id"],
            delegate_id=body["delegate_id"],
            actions=frozenset(body["actions"]),
            status=body["status"],
            valid_until=datetime.fromisoformat(body["valid_until"]),
        )
