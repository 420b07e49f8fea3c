"""The material client's batch read: one call per 100 ids, and only the ids asked for come back."""

from __future__ import annotations

import httpx
from onematter_acceptance.adapters.material_client import MaterialClient
from onematter_kit.identity import InternalTokenSigner
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET
from onematter_testkit import make_principal


def _client(seen: list[list[str]]) -> MaterialClient:
    def handle(request: httpx.Request) -> httpx.Response:
        ids = request.url.params["ids"].split(",")
        seen.append(ids)
        # The answer also carries an id not asked for: the client must not trust it.
        items = [{"id": i, "material_type": "id_card"} for i in [*ids, "unasked"] if i != "not-mine"]
        return httpx.Response(200, json={"items": items, "total": len(items), "limit": 100, "offset": 0})

    signer = InternalTokenSigner(DEVELOPMENT_INTERNAL_SECRET, issuer="onematter-acceptance")
    return MaterialClient(base_url="http://material", signer=signer, transport=httpx.MockTransport(handle))


async def test_a_batch_read_asks_once_per_hundred_distinct_ids_and_returns_only_those_found() -> None:
    seen: list[list[str]] = []
    client = _client(seen)
    wanted = [f"m{i}" for i in range(150)] + ["m0", "not-mine"]

    found = await client.materials(make_principal("zhangsan", "applicant"), wanted)

    await client.aclose()
    assert [len(call) for call in seen] == [100, 51]
    assert set(found) == {f"m{i}" for i in range(150)}


async def test_no_ids_means_no_call() -> None:
    seen: list[list[str]] = []
    client = _client(seen)

    assert await client.materials(make_principal("zhangsan", "applicant"), []) == {}

    await client.aclose()
    assert seen == []
