"""The catalog, asked for a matter acceptance has not heard of yet: a published version or nothing."""

from __future__ import annotations

import httpx
from acceptance_testing import newborn_matter
from onematter_acceptance.adapters.catalog_client import CatalogClient
from onematter_kit.identity import INTERNAL_HEADER, InternalTokenSigner, InternalTokenVerifier
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET
from onematter_testkit import make_principal

CALLER = make_principal("zhangsan", "applicant")


def _client(handle, created: list[list[str]] | None = None) -> CatalogClient:
    signer = InternalTokenSigner(DEVELOPMENT_INTERNAL_SECRET, issuer="onematter-acceptance")

    async def create_topics(names: list[str]) -> None:
        if created is not None:
            created.append(names)

    return CatalogClient(
        base_url="http://catalog",
        signer=signer,
        transport=httpx.MockTransport(handle),
        create_topics=create_topics,
        topic_prefix="t.",
    )


def _as_catalog_answers(status: str) -> dict:
    return newborn_matter(version=3).model_dump(mode="json") | {"status": status}


async def test_a_published_matter_comes_back_its_task_topics_created_the_call_signed_for_the_catalog():
    seen: list[httpx.Request] = []
    created: list[list[str]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=_as_catalog_answers("published"))

    client = _client(handle, created)
    matter = await client.published("newborn-birth", caller=CALLER)
    await client.aclose()

    assert matter is not None and (matter.matter_code, matter.version) == ("newborn-birth", 3)
    assert seen[0].url.path == "/api/v1/matters/newborn-birth"
    verifier = InternalTokenVerifier(DEVELOPMENT_INTERNAL_SECRET, audience="matter-catalog")
    assert verifier.verify(seen[0].headers[INTERNAL_HEADER]).subject == "zhangsan"
    assert created == [[f"t.onematter.tasks.{d}" for d in ("mohrss", "mps", "ndcpa", "nhc", "nhsa")]]


async def test_a_retired_an_unknown_or_an_unreachable_catalog_gives_nothing():
    answers = iter(
        [
            httpx.Response(200, json=_as_catalog_answers("retired")),
            httpx.Response(404, json={"title": "Not Found"}),
            httpx.Response(503, json={"title": "Service Unavailable"}),
        ]
    )

    def handle(request: httpx.Request) -> httpx.Response:
        if (answer := next(answers, None)) is None:
            raise httpx.ConnectError("refused", request=request)
        return answer

    client = _client(handle)
    found = [await client.published("newborn-birth", caller=CALLER) for _ in range(4)]
    await client.aclose()

    assert found == [None, None, None, None]


async def test_a_code_the_catalog_could_not_have_is_never_put_in_a_url():
    def handle(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"asked {request.url}")

    client = _client(handle)

    assert await client.published("../admin/matters", caller=CALLER) is None
    assert await client.published("", caller=CALLER) is None
    await client.aclose()
