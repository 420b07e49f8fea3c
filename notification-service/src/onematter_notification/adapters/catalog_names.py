"""The matter catalog, asked directly for names this service has not received yet.

Names reach this service in ``matter.published`` events. Right after a fresh start (the first
application may be accepted before the catalog's events are consumed) a message would show a code
(「newborn-birth」); before rendering, :meth:`CatalogNameSource.names_of` asks the catalog's public reads
with an internal token signed for this service (role ``service``, audience ``matter-catalog``). Any
failure gives no names (the message then shows the code, as before) and is logged. Tests pass an
``httpx.MockTransport`` as ``transport=``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from typing import Any

import httpx
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, Principal, Role

from onematter_notification.domain.names import CatalogNameRow, catalog_names
from onematter_notification.domain.templates import Ref

__all__ = ["CatalogNameSource"]

log = logging.getLogger("onematter.notification.catalog")

_CODE = re.compile(r"^[a-z][a-z0-9_-]{1,63}$")
_SELF = Principal(subject="notification", roles=frozenset({Role.service}))
#: kind → the catalog read that names one code of that kind
_PATHS = {"matter": "/api/v1/matters/{}", "item": "/api/v1/items/{}", "department": "/api/v1/departments/{}"}


class CatalogNameSource:
    """One short-lived HTTP client per call: names are missing only for a while after a fresh start."""

    def __init__(
        self,
        *,
        base_url: str,
        signer: InternalTokenSigner,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url, self._signer, self._timeout, self._transport = base_url, signer, timeout, transport

    async def names_of(self, refs: Collection[Ref]) -> list[CatalogNameRow]:
        """Names of as many of ``refs`` as the catalog knows (a matter brings its items' and materials'
        names too); never raises."""
        wanted = [ref for ref in refs if _CODE.fullmatch(ref.code)]
        if not wanted:
            return []
        headers = {INTERNAL_HEADER: self._signer.sign(_SELF, audience="matter-catalog")}
        rows: list[CatalogNameRow] = []
        async with httpx.AsyncClient(
            base_url=self._base_url, timeout=self._timeout, transport=self._transport, headers=headers
        ) as client:
            try:
                for ref in sorted(wanted, key=lambda r: (r.kind != "matter", r.kind, r.code)):
                    if not any((row.kind, row.code) == (ref.kind, ref.code) for row in rows):
                        rows += await _named(client, ref)
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                log.warning("catalog names not available", extra={"error": type(exc).__name__})
        return rows


async def _named(client: httpx.AsyncClient, ref: Ref) -> list[CatalogNameRow]:
    if ref.kind == "material":
        answer = await _get(client, "/api/v1/material-types", limit=100)
        items = answer.get("items", []) if answer else []
        return [_row("material", entry) for entry in items]
    if ref.kind not in _PATHS or (answer := await _get(client, _PATHS[ref.kind].format(ref.code))) is None:
        return []
    return catalog_names(answer) if ref.kind == "matter" else [_row(ref.kind, answer)]


async def _get(client: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any] | None:
    response = await client.get(path, params=params or None)
    if response.status_code != 200:
        return None
    body: dict[str, Any] = response.json()
    return body


def _row(kind: str, entry: dict[str, Any]) -> CatalogNameRow:
    return CatalogNameRow(kind=kind, code=entry["code"], name_zh=entry["name_zh"], name_en=entry["name_en"])
