"""``/metrics`` on the gateway's public port: open in development, behind a scrape token when one is set,
and a production gateway refuses to start without that token."""

from __future__ import annotations

import httpx
import pytest
from onematter_gateway.config import GatewaySettings
from onematter_gateway.entrypoints.app import create_app
from onematter_kit.errors import ConfigurationError

CLOSED = "http://127.0.0.1:1"
TOKEN = "m" * 40


def _settings(**overrides: object) -> GatewaySettings:
    return GatewaySettings(
        catalog_url=CLOSED, acceptance_url=CLOSED, material_url=CLOSED, notification_url=CLOSED, **overrides
    )  # type: ignore[arg-type]


async def _metrics(settings: GatewaySettings, headers: dict[str, str]) -> httpx.Response:
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as client:
        return await client.get("/metrics", headers=headers)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
async def test_metrics_with_a_scrape_token_refuse_anyone_without_it(headers: dict[str, str]) -> None:
    response = await _metrics(_settings(metrics_token=TOKEN), headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "onematter_http" not in response.text


async def test_metrics_with_the_scrape_token_are_served() -> None:
    response = await _metrics(_settings(metrics_token=TOKEN), {"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and "onematter_http_requests_total" in response.text


def test_a_production_gateway_refuses_to_start_without_a_metrics_token() -> None:
    production = {
        "environment": "production",
        "dev_identity_provider": False,
        "jwks_url": "https://idp.example.gov.cn/certs",
        "internal_token_secret": "s" * 40,
    }
    with pytest.raises((ConfigurationError, ValueError), match="METRICS_TOKEN"):
        _settings(**production)
    assert _settings(**production, metrics_token=TOKEN).metrics_token == TOKEN
