"""The hotline on real PostgreSQL and Kafka: the catalog's guides reach the knowledge base once per event,
and the loop's events leave through the outbox onto the hotline topic, keyed by request, without the
caller's personal data. The service runs "as of" Tue 2026-12-01 09:00 in Beijing: a complaint's 10
working days end on Tue 2026-12-15 (December 2026 has no holiday, 国办发明电〔2025〕7号)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hotline_testing import Hotline
from onematter_events import Stream, new_event, topic_name
from onematter_events import hotline as ev
from onematter_events.matters import MATTER_PUBLISHED, MatterPublished, PublishedItem
from onematter_testkit import publish_events, read_events, wait_for

pytestmark = pytest.mark.integration

R = "/api/v1/hotline/requests"


def _guide(code: str) -> MatterPublished:
    item = PublishedItem(
        code="nhc-birth-medical-cert",
        name_zh="出生医学证明",
        name_en="Medical birth certificate",
        department="nhc",
        kind="licence",
        committed_days=1,
        statutory_days=20,
        materials=[],
        form_fields=[],
        conditions=["在本市助产机构出生"],
    )
    return MatterPublished(
        matter_code=code,
        version=1,
        name_zh="新生儿出生一件事",
        name_en="Birth of a newborn",
        subject="individual",
        stage="birth",
        lead_department="nhc",
        items=[item],
        materials=[],
        form_schema={},
        field_items={},
        committed_days=5,
        published_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


async def test_a_published_guide_is_found_once_even_when_the_event_comes_twice(
    hotline: Hotline, kafka_bootstrap: str
) -> None:
    event = new_event(MATTER_PUBLISHED, _guide("newborn-birth"))
    await publish_events(kafka_bootstrap, hotline.topic_prefix, event, event)

    async def found() -> list[dict]:
        response = await hotline.client.get(
            "/api/v1/hotline/knowledge", params={"q": "新生儿出生医学证明怎么办理"}, headers=hotline.operator
        )
        assert response.status_code == 200, response.text
        return response.json()

    entries = await wait_for(found, timeout=60, message="the guide in the knowledge base")
    assert [e["id"] for e in entries] == ["matter:newborn-birth"]
    assert "在本市助产机构出生" in entries[0]["body"]


async def test_a_dispatch_leaves_through_the_outbox_without_the_callers_data(
    hotline: Hotline, kafka_bootstrap: str
) -> None:
    caller = {"name": "李四", "phone": "13812345678", "subject": "lisi"}
    body = {
        "type": "complaint",
        "region": "110105",
        "category": "transport",
        "text": "出租车拒载",
        "caller": caller,
    }
    taken = await hotline.client.post(R, json=body, headers=hotline.operator)
    assert taken.status_code == 201, taken.text
    rid = taken.json()["id"]
    dispatched = await hotline.client.post(
        f"{R}/{rid}/dispatch", json={"office": "mot"}, headers=hotline.operator
    )
    assert dispatched.json()["due_on"] == "2026-12-15"

    [event] = await read_events(kafka_bootstrap, topic_name(Stream.hotline, hotline.topic_prefix), count=1)
    assert (event.type, event.subject, event.data["office"]) == (ev.REQUEST_DISPATCHED, rid, "mot")
    assert not {"李四", "13812345678", "lisi"} & set(event.to_bytes().decode().split('"'))
    masked = await hotline.client.get(f"{R}/{rid}", headers=hotline.officer("mot"))
    assert masked.json()["caller"] == {"name": "李*", "phone": "138****5678", "subject": None}


async def test_others_do_not_see_a_request_and_an_anonymous_complaint_is_refused(hotline: Hotline) -> None:
    body = {"type": "complaint", "region": "110105", "category": "transport", "text": "出租车拒载"}
    refused = await hotline.client.post(R, json=body, headers=hotline.operator)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    portal = await hotline.client.post(R, json=body, headers=hotline.applicant("zhangsan"))
    assert (portal.status_code, portal.json()["channel"]) == (201, "portal")
    rid = portal.json()["id"]
    assert (await hotline.client.get(f"{R}/{rid}", headers=hotline.applicant("lisi"))).status_code == 404
    assert (await hotline.client.get(f"{R}/{rid}", headers=hotline.officer("mot"))).status_code == 404
    assert (await hotline.client.get(f"{R}/{rid}", headers=hotline.applicant("zhangsan"))).status_code == 200
