"""The clients the app builds take their own settings: the catalog's timeout is not the material service's."""

from __future__ import annotations

import pytest
from onematter_acceptance.config import AcceptanceSettings
from onematter_acceptance.entrypoints.app import _catalog_client, _material_client


@pytest.mark.asyncio
async def test_the_catalog_and_material_clients_wait_as_long_as_their_own_settings_say():
    settings = AcceptanceSettings(
        catalog_timeout_seconds=1.5, material_timeout_seconds=7.0, kafka_enabled=False
    )
    catalog, material = _catalog_client(settings, None), _material_client(settings, None)
    try:
        assert catalog._http.timeout.read == 1.5
        assert material._http.timeout.read == 7.0
    finally:
        await catalog.aclose()
        await material.aclose()
