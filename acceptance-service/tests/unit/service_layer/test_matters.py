"""The local catalog copy: published versions are kept, a retired matter takes no applications."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from acceptance_fakes import FakeAcceptanceUnitOfWork
from acceptance_testing import newborn_matter, published_event
from onematter_acceptance.adapters.catalog_client import CatalogClient
from onematter_acceptance.service_layer.matters import known_matter, matter_handlers
from onematter_clock import FixedClock
from onematter_events import new_event
from onematter_events.matters import MATTER_PUBLISHED, MATTER_RETIRED, MatterRetired
from onematter_kit.identity import InternalTokenSigner
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET
from onematter_testkit import make_principal

CALLER = make_principal("zhangsan", "applicant")


async def test_a_published_matter_is_kept_with_its_task_topics_created_and_a_retired_one_stops(uow):
    created: list[list[str]] = []

    async def create_topics(names: list[str]) -> None:
        created.append(names)

    handlers = matter_handlers(topic_prefix="t.", create_topics=create_topics)
    second = newborn_matter(version=2)

    await handlers[MATTER_PUBLISHED](published_event(second), uow)
    current = await uow.matters.current("newborn-birth")
    retired = MatterRetired(matter_code="newborn-birth", version=2, retired_at=uow.clock.now())
    await handlers[MATTER_RETIRED](new_event(MATTER_RETIRED, retired), uow)

    assert current is not None and current.version == 2
    assert created == [[f"t.onematter.tasks.{d}" for d in sorted(["mohrss", "mps", "ndcpa", "nhc", "nhsa"])]]
    assert await uow.matters.current("newborn-birth") is None
    assert (await uow.matters.version("newborn-birth", 1)) is not None


def _catalog(answer: httpx.Response) -> CatalogClient:
    signer = InternalTokenSigner(DEVELOPMENT_INTERNAL_SECRET, issuer="onematter-acceptance")
    return CatalogClient(
        base_url="http://catalog", signer=signer, transport=httpx.MockTransport(lambda _: answer)
    )


async def test_a_matter_not_heard_of_yet_is_asked_of_the_catalog_and_kept():
    uow = FakeAcceptanceUnitOfWork(FixedClock(datetime(2026, 12, 1, 2, tzinfo=UTC)))
    published = newborn_matter(version=4).model_dump(mode="json") | {"status": "published"}
    catalog = _catalog(httpx.Response(200, json=published))

    found = await known_matter(uow, "newborn-birth", caller=CALLER, catalog=catalog)

    assert found is not None and found.version == 4
    assert uow.committed
    kept = await uow.matters.current("newborn-birth")
    assert kept is not None and kept.version == 4


async def test_a_matter_the_catalog_does_not_publish_stays_unknown_and_nothing_is_kept():
    uow = FakeAcceptanceUnitOfWork(FixedClock(datetime(2026, 12, 1, 2, tzinfo=UTC)))
    catalog = _catalog(httpx.Response(404, json={"title": "Not Found"}))

    assert await known_matter(uow, "newborn-birth", caller=CALLER, catalog=catalog) is None
    assert not uow.committed
    assert await uow.matters.current("newborn-birth") is None
