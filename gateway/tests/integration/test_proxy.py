"""The gateway in front of a fake backend, both on real ports: identity, policy, limits, streaming."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from onematter_kit.identity import Role

pytestmark = pytest.mark.integration


async def test_a_protected_route_without_a_token_is_401_problem_json(gateway) -> None:
    gw = gateway()
    async with httpx.AsyncClient(base_url=gw.url) as client:
        response = await client.get("/api/v1/things/1")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/unauthorized")


async def test_a_forged_token_is_401(gateway) -> None:
    gw = gateway()
    token = gw.token("zhangsan", Role.applicant)["Authorization"]
    async with httpx.AsyncClient(base_url=gw.url) as client:
        response = await client.get("/api/v1/things/1", headers={"Authorization": token[:-4] + "AAAA"})
    assert response.status_code == 401


async def test_a_role_not_in_the_rule_is_403(gateway) -> None:
    gw = gateway()
    async with httpx.AsyncClient(base_url=gw.url) as client:
        response = await client.get("/api/v1/things/1", headers=gw.token("officer-x", Role.officer))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


async def test_routes_not_in_the_table_are_404_even_when_the_backend_has_them(gateway) -> None:
    gw = gateway()
    async with httpx.AsyncClient(base_url=gw.url, headers=gw.token("admin", Role.admin)) as client:
        for path in ("/api/v1/internal/reindex", "/api/v1/nothing", "/api/v2/things/1", "/openapi.jsonx"):
            response = await client.get(path)
            assert response.status_code == 404, path
            assert response.headers["content-type"] == "application/problem+json"
        assert (await client.delete("/api/v1/things/1")).status_code == 405


async def test_the_backend_sees_the_verified_identity_and_not_the_headers_the_client_sent(gateway) -> None:
    gw = gateway()
    forged = {
        "X-User-Id": "admin",
        "X-Roles": "admin",
        "X-Onematter-Internal-Token": "forged",
        "X-Forwarded-For": "1.2.3.4",
        "Cookie": "session=abc",
        "X-Request-ID": "req-42",
    }
    async with httpx.AsyncClient(base_url=gw.url) as client:
        response = await client.get("/api/v1/things/7", headers=forged | gw.token("zhangsan", Role.applicant))
    assert response.status_code == 200
    body = response.json()
    assert (body["subject"], body["roles"]) == ("zhangsan", ["applicant"])
    seen = body["headers"]
    assert not {"x-user-id", "x-roles", "cookie", "authorization"} & seen.keys()
    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert seen["x-request-id"] == "req-42" == response.headers["x-request-id"]
    assert seen["traceparent"].startswith("00-")


async def test_a_public_route_needs_no_token_and_reaches_the_backend_as_anonymous(gateway) -> None:
    gw = gateway()
    async with httpx.AsyncClient(base_url=gw.url) as client:
        response = await client.get("/api/v1/public")
    assert response.status_code == 200 and response.json() == {"subject": "anonymous"}


async def test_a_backend_that_is_down_gives_503_at_once(gateway) -> None:
    # "At once": well before any of the gateway's timeouts (30 s, 60 s) could have run out; a refused
    # connection is not retried or waited on. The client gives up at 10 s.
    gw = gateway(upstream_connect_timeout_seconds=30, upstream_timeout_seconds=60)
    async with httpx.AsyncClient(base_url=gw.url, timeout=10) as client:
        response = await client.get("/api/v1/notices", headers=gw.token("zhangsan", Role.applicant))
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_backend_slower_than_its_timeout_gives_504(gateway) -> None:
    gw = gateway(upstream_timeouts={"matter-catalog": 0.5})
    async with httpx.AsyncClient(base_url=gw.url, timeout=10) as client:
        response = await client.get("/api/v1/slow", headers=gw.token("zhangsan", Role.applicant))
    assert response.status_code == 504
    assert response.json()["type"].endswith("/gateway-timeout")


async def test_a_burst_over_the_limit_gets_429_while_another_identity_is_still_served(gateway) -> None:
    # A bucket that refills one token in 1000 s: however slow the machine, the burst is all there is.
    gw = gateway(rate_limit_identity_per_second=0.001, rate_limit_identity_burst=5)
    async with httpx.AsyncClient(base_url=gw.url) as client:
        zhangsan = gw.token("zhangsan", Role.applicant)
        burst = await asyncio.gather(*(client.get("/api/v1/things/1", headers=zhangsan) for _ in range(20)))
        other = await client.get("/api/v1/things/1", headers=gw.token("lisi", Role.applicant))
    statuses = [r.status_code for r in burst]
    assert statuses.count(200) == 5 and statuses.count(429) == 15
    limited = next(r for r in burst if r.status_code == 429)
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["content-type"] == "application/problem+json"
    assert other.status_code == 200


async def test_one_client_address_over_its_limit_gets_429(gateway) -> None:
    gw = gateway(rate_limit_ip_per_second=0.001, rate_limit_ip_burst=3)
    async with httpx.AsyncClient(base_url=gw.url) as client:
        statuses = [(await client.get("/api/v1/public")).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


async def test_a_body_over_the_limit_is_413_whether_declared_or_streamed(gateway) -> None:
    gw = gateway(max_body_bytes=2048, max_upload_bytes=8192)
    headers = gw.token("zhangsan", Role.applicant)

    async def chunked(size: int):
        for _ in range(size // 1024):
            yield b"x" * 1024

    async with httpx.AsyncClient(base_url=gw.url, headers=headers) as client:
        assert (await client.post("/api/v1/things", content=b"x" * 1024)).status_code == 201
        assert (await client.post("/api/v1/things", content=b"x" * 4096)).status_code == 413
        streamed = await client.post("/api/v1/things", content=chunked(4096))
        assert streamed.status_code == 413
        assert streamed.headers["content-type"] == "application/problem+json"
        upload = await client.post("/api/v1/uploads", content=chunked(6144))
        assert upload.status_code == 200 and upload.json() == {"size": 6144}
        assert (await client.post("/api/v1/uploads", content=chunked(16384))).status_code == 413


async def test_server_sent_events_pass_through_unbuffered(gateway) -> None:
    gw = gateway(upstream_timeouts={"matter-catalog": 0.5})  # SSE routes are exempt from the timeout
    headers = gw.token("zhangsan", Role.applicant)
    async with (
        httpx.AsyncClient(base_url=gw.url, timeout=40) as client,
        client.stream("GET", "/api/v1/events", headers=headers) as rsp,
    ):
        chunks = rsp.aiter_raw()
        first = await anext(chunks)  # the backend sends the second event only after this arrived
        gw.backend.state.release.set()
        rest = b"".join([chunk async for chunk in chunks])
    assert rsp.headers["content-type"].startswith("text/event-stream")
    assert first.startswith(b"data: first")
    assert b"data: second after release" in rest


async def test_metrics_count_requests_by_policy_route(gateway) -> None:
    gw = gateway()
    async with httpx.AsyncClient(base_url=gw.url) as client:
        await client.get("/api/v1/public")
        metrics = (await client.get("/metrics")).text
    assert 'route="/api/v1/public"' in metrics and "onematter_http_request_duration_seconds" in metrics


async def test_behind_a_trusted_proxy_the_real_client_address_is_limited_and_sent_on(gateway) -> None:
    # The proxy (127.0.0.1 here) appends the address it got the request from; what is left of it was
    # written by the client and proves nothing.
    gw = gateway(trusted_proxies=["127.0.0.0/8"], rate_limit_ip_per_second=0.001, rate_limit_ip_burst=2)
    headers = gw.token("zhangsan", Role.applicant)
    async with httpx.AsyncClient(base_url=gw.url, headers=headers) as client:

        async def via_proxy(chain: str) -> httpx.Response:
            return await client.get("/api/v1/things/1", headers={"X-Forwarded-For": chain})

        first = await via_proxy("198.51.100.7, 203.0.113.9")
        statuses = [(await via_proxy(f"192.0.2.{n}, 203.0.113.9")).status_code for n in range(2)]
        other = await via_proxy("203.0.113.10")
    assert first.json()["headers"]["x-forwarded-for"] == "203.0.113.9"
    assert statuses == [200, 429]  # 203.0.113.9's burst of 2, whatever it wrote to the left
    assert other.status_code == 200


async def test_without_trusted_proxies_a_forwarded_address_is_ignored(gateway) -> None:
    gw = gateway(rate_limit_ip_per_second=0.001, rate_limit_ip_burst=2)
    async with httpx.AsyncClient(base_url=gw.url) as client:
        statuses = [
            (await client.get("/api/v1/public", headers={"X-Forwarded-For": f"192.0.2.{n}"})).status_code
            for n in range(3)
        ]
    assert statuses == [200, 200, 429]  # all three counted under the peer's own address
