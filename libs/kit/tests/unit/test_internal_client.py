"""A client of another service's internal API signs each request for the person it acts for."""

from __future__ import annotations

import httpx
import jwt
import pytest
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenVerifier, Principal, Role
from onematter_kit.internal_client import InternalClient
from onematter_kit.settings import ServiceSettings

SECRET = "s" * 40


class _Ledger(InternalClient):
    audience = "ledger"

    async def balance(self, caller: Principal) -> httpx.Response:
        return await self._http.get("/balance", headers=self._headers(caller))


async def test_each_request_carries_a_token_for_the_caller_that_only_the_callee_accepts() -> None:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers[INTERNAL_HEADER])
        return httpx.Response(200, json={})

    settings = ServiceSettings(service_name="acceptance", internal_token_secret=SECRET)
    client = _Ledger(
        base_url="http://ledger", signer=settings.internal_signer(), transport=httpx.MockTransport(handle)
    )
    zhangsan = Principal(subject="zhangsan", roles=frozenset({Role.applicant}))
    await client.balance(zhangsan)
    await client.aclose()

    [token] = seen
    assert InternalTokenVerifier(SECRET, audience="ledger").verify(token).subject == "zhangsan"
    assert jwt.decode(token, options={"verify_signature": False})["iss"] == "onematter-acceptance"
    with pytest.raises(Exception, match="Invalid internal token"):
        InternalTokenVerifier(SECRET, audience="material").verify(token)
