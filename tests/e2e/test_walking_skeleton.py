"""The walking skeleton: a demo user's token through the gateway reaches a service, and an event crosses
real Kafka from one service's outbox (the catalog publishing its seed) to another service's idempotent
consumer (acceptance keeping its local copy of the matter)."""

import pytest
from onematter_events import Stream, topic_name
from onematter_events.matters import MATTER_PUBLISHED
from onematter_testkit import read_events, wait_for

pytestmark = pytest.mark.e2e


async def test_a_published_matter_travels_from_the_catalog_outbox_to_acceptance_over_kafka(system):
    headers = await system.auth("zhangsan")
    async with system.client() as client:
        matter = await client.get("/api/v1/matters/newborn-birth", headers=headers)
        assert matter.status_code == 200 and matter.json()["matter_code"] == "newborn-birth"

        published = await read_events(
            system.kafka_bootstrap,
            topic_name(Stream.catalog, system.topic_prefix),
            count=1,
            where=lambda e: e.type == MATTER_PUBLISHED and e.subject == "newborn-birth",
        )
        assert published[0].data["version"] == matter.json()["version"]

        async def acceptance_knows_the_matter():
            response = await client.get(
                "/api/v1/applications/prefill", params={"matter_code": "newborn-birth"}, headers=headers
            )
            assert response.status_code in (200, 404), response.text
            return response.status_code == 200

        await wait_for(acceptance_knows_the_matter, timeout=60, message="acceptance's copy of the matter")
        unknown = await client.get(
            "/api/v1/applications/prefill", params={"matter_code": "no-such-matter"}, headers=headers
        )
        assert unknown.status_code == 404
        assert unknown.headers["content-type"] == "application/problem+json"
