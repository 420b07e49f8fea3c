"""``POST /auth/token`` counts attempts per user name and per client address (issue 18)."""

from __future__ import annotations

import httpx
from onematter_gateway.config import GatewaySettings
from onematter_gateway.entrypoints.app import create_app

CLOSED = "http://127.0.0.1:1"


def client_for(**settings: object) -> httpx.AsyncClient:
    app = create_app(
        GatewaySettings(
            catalog_url=CLOSED,
            acceptance_url=CLOSED,
            material_url=CLOSED,
            notification_url=CLOSED,
            **settings,
        )  # type: ignore[arg-type]
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def test_too_many_attempts_for_one_user_get_429_with_retry_after_and_others_still_log_in() -> None:
    async with client_for(login_attempts_per_user_burst=3, login_attempts_per_user_per_minute=1) as client:
        tries = [
            await client.post("/auth/token", json={"username": "zhangsan", "password": p}) for p in "abc"
        ]
        refused = await client.post("/auth/token", json={"username": "zhangsan", "password": "demo"})
        other = await client.post("/auth/token", json={"username": "lisi", "password": "demo"})
    assert [t.status_code for t in tries] == [401, 401, 401]
    assert refused.status_code == 429 and refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) == 60  # one attempt a minute
    assert other.status_code == 200


async def test_too_many_attempts_from_one_address_get_429() -> None:
    async with client_for(
        login_attempts_per_address_burst=4, login_attempts_per_address_per_minute=1
    ) as client:
        statuses = [
            (await client.post("/auth/token", json={"username": f"user{n}", "password": "x"})).status_code
            for n in range(5)
        ]
    assert statuses == [401, 401, 401, 401, 429]


async def test_behind_a_trusted_proxy_each_client_address_has_its_own_login_budget() -> None:
    settings = {"trusted_proxies": ["127.0.0.1"], "login_attempts_per_address_burst": 1}
    async with client_for(**settings) as client:  # httpx's ASGI transport's peer is 127.0.0.1

        async def attempt(client_address: str) -> int:
            body = {"username": "nobody", "password": "x"}
            response = await client.post(
                "/auth/token", json=body, headers={"X-Forwarded-For": client_address}
            )
            return response.status_code

        assert [await attempt("192.0.2.1"), await attempt("192.0.2.1"), await attempt("192.0.2.2")] == [
            401,
            429,
            401,
        ]
