"""The matter catalog, asked directly (never through the gateway) for a matter this service has not heard of.

Acceptance keeps its own copy of the catalog from the ``matter.published`` events; right after a fresh
start (or while the consumer lags) that copy can miss a matter the catalog already publishes. Before a
submission is refused as "unknown matter", :meth:`CatalogClient.published` asks the catalog's
``GET /api/v1/matters/{code}`` with an internal token signed for the caller (audience ``matter-catalog``).
Tests pass an ``httpx.MockTransport`` as ``transport=``; nothing here is patched.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

import httpx
from onematter_events import task_topic
from onematter_events.matters import MatterPublished
from onematter_kit.identity import InternalTokenSigner, Principal
from onematter_kit.internal_client import InternalClient
from pydantic import ValidationError

__all__ = ["CatalogClient"]

log = logging.getLogger("onematter.acceptance.catalog")

#: The catalog's own pattern for a matter code; anything else is not asked for (it never reaches a URL).
_CODE = re.compile(r"^[a-z][a-z0-9_-]{1,63}$")

TopicCreator = Callable[[list[str]], Awaitable[None]]


class CatalogClient(InternalClient):
    """The catalog's API (audience ``matter-catalog``); see :class:`InternalClient`.

    ``create_topics`` (if given) creates the task topics of a matter found here, as the catalog consumer
    does, so its first application can be dispatched at once.
    """

    audience = "matter-catalog"

    def __init__(
        self,
        *,
        base_url: str,
        signer: InternalTokenSigner,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        create_topics: TopicCreator | None = None,
        topic_prefix: str = "",
    ) -> None:
        super().__init__(base_url=base_url, signer=signer, timeout=timeout, transport=transport)
        self._create_topics = create_topics
        self._topic_prefix = topic_prefix

    async def published(self, code: str, *, caller: Principal) -> MatterPublished | None:
        """The matter's current version if the catalog publishes it (not retired), else ``None``.

        ``None`` also when the catalog cannot be asked (unreachable, 5xx, an answer that is not a
        version): the caller then refuses as it would have without asking; the failure is logged.
        """
        if not _CODE.fullmatch(code):
            return None
        headers = self._headers(caller)
        try:
            response = await self._http.get(f"/api/v1/matters/{code}", headers=headers)
        except httpx.HTTPError as exc:
            log.warning("catalog not reachable", extra={"error": type(exc).__name__})
            return None
        if response.status_code != 200:
            if response.status_code != 404:
                log.warning("catalog lookup failed", extra={"status": response.status_code})
            return None
        body = response.json()
        if body.get("status") != "published":
            return None
        try:
            matter = MatterPublished.model_validate({k: v for k, v in body.items() if k != "status"})
        except ValidationError:
            log.warning("catalog answered something that is not a published version")
            return None
        await self._ensure_task_topics(matter)
        return matter

    async def _ensure_task_topics(self, matter: MatterPublished) -> None:
        """Best effort: the catalog consumer creates them too when the event arrives; the relay retries."""
        if self._create_topics is None:
            return
        try:
            await self._create_topics(
                sorted({task_topic(i.department, self._topic_prefix) for i in matter.items})
            )
        except Exception as exc:
            log.warning("task topics not created yet", extra={"error": type(exc).__name__})
