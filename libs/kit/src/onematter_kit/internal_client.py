"""A client of another service's internal API, called directly (never through the gateway).

Every request carries an internal token that this service signs for the *caller* (the person on whose behalf
it asks) with the callee's audience, so the callee answers exactly what that person may see
(:class:`~onematter_kit.identity.InternalTokenSigner`). One ``httpx.AsyncClient`` per instance; the
composition root closes it with :meth:`InternalClient.aclose`. Tests pass an ``httpx.MockTransport`` as
``transport=``; nothing is patched.
"""

from __future__ import annotations

from typing import ClassVar

import httpx

from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, Principal

__all__ = ["InternalClient"]


class InternalClient:
    """Subclasses name the callee's token ``audience`` (``"material"``, ``"acceptance"``, …)."""

    audience: ClassVar[str]

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

    def _headers(self, caller: Principal) -> dict[str, str]:
        """The internal-token header for a request made on behalf of ``caller``."""
        return {INTERNAL_HEADER: self._signer.sign(caller, audience=self.audience)}

    async def aclose(self) -> None:
        await self._http.aclose()
