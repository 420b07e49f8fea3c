"""The one door, through the real system: services answer only with the gateway's internal token."""

from __future__ import annotations

import httpx
import pytest
from onematter_devtools.launcher import SERVICES

pytestmark = pytest.mark.e2e

BACKENDS = [s.name for s in SERVICES if s.name != "gateway"]


@pytest.mark.parametrize("service", BACKENDS)
async def test_a_service_port_without_the_internal_token_is_401_problem_json(system, service) -> None:
    # Even a valid user access token is no way in: only the gateway's internal token is.
    user_token = {"Authorization": f"Bearer {await system.token('admin')}"}
    async with httpx.AsyncClient(base_url=system.service_url(service), timeout=10) as client:
        response = await client.get("/openapi.json", headers=user_token)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_gateway_reports_every_service_ready(system) -> None:
    async with system.client() as client:
        response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["services"] == {name: "ready" for name in BACKENDS}


async def test_the_gateway_openapi_shows_public_routes_and_hides_internal_ones(system) -> None:
    async with system.client() as client:
        document = (await client.get("/openapi.json")).json()
    assert "x-unavailable-services" not in document["info"]
    assert "/api/v1/matters" in document["paths"]
    assert all(path.startswith(("/api/v1/", "/auth/")) for path in document["paths"])
