"""The delegation client: whatever a client put in ``delegation_id``, the request to acceptance is a URL."""

from __future__ import annotations

import httpx
from onematter_kit.identity import InternalTokenSigner, Role
from onematter_material.adapters.delegation_client import DelegationClient
from onematter_testkit import make_principal


async def test_a_delegation_id_with_control_characters_is_asked_for_quoted_and_found_absent() -> None:
    asked: list[str] = []

    def acceptance(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.raw_path.decode())
        return httpx.Response(404)

    client = DelegationClient(
        base_url="http://acceptance",
        signer=InternalTokenSigner("s" * 32, ttl_seconds=60),
        transport=httpx.MockTransport(acceptance),
    )
    try:
        facts = await client.get(make_principal("clerk01", Role.clerk), "del\x08?#x")
    finally:
        await client.aclose()

    assert facts is None
    assert asked == ["/api/v1/delegations/del%08%3F%23x"]
