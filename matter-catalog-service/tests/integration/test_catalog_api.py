"""The catalog API on real PostgreSQL and Kafka: the seed, versions, drafts, validation and task topics."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from onematter_events import task_topic
from onematter_testkit import kafka_options, random_code, wait_for

from .conftest import Catalog, a_draft

pytestmark = pytest.mark.integration


async def test_the_seed_publishes_thirteen_matters_five_of_them_for_individuals(catalog: Catalog) -> None:
    everything = (await catalog.get("/api/v1/matters", params={"limit": 100})).json()
    individual = (await catalog.get("/api/v1/matters", params={"subject": "individual"})).json()

    assert everything["total"] == 13 and {m["version"] for m in everything["items"]} == {1}
    assert individual["total"] == 5
    assert {m["subject"] for m in individual["items"]} == {"individual"}


async def test_newborn_birth_has_one_household_register_one_id_number_and_the_longest_item_as_total(
    catalog: Catalog,
) -> None:
    matter = (await catalog.get("/api/v1/matters/newborn-birth")).json()

    hukou = [m for m in matter["materials"] if m["material_type"] == "hukou_book"]
    assert len(hukou) == 1 and len(hukou[0]["items"]) == 3
    assert list(matter["form_schema"]["properties"]).count("id_number") == 1
    assert len(matter["field_items"]["id_number"]) == len(matter["items"]) == 5
    assert matter["committed_days"] == max(i["committed_days"] for i in matter["items"]) == 10
    guide = (await catalog.get("/api/v1/matters/newborn-birth/guide")).json()
    assert guide["committed_days"] == 10 and guide["sequential_days"] == 14


async def test_the_guide_is_a_printable_page_when_html_is_asked_for(catalog: Catalog) -> None:
    response = await catalog.get(
        "/api/v1/matters/newborn-birth/guide", headers={**catalog.applicant, "accept": "text/html"}
    )

    assert response.headers["content-type"].startswith("text/html")
    assert "新生儿出生一件事" in response.text and "居民户口簿" in response.text


async def test_publishing_twice_keeps_version_one_readable_and_unchanged(catalog: Catalog) -> None:
    draft = a_draft(name_zh="第一版")
    await catalog.client.post("/api/v1/admin/matters", json=draft, headers=catalog.admin)
    first = await catalog.client.post(f"/api/v1/admin/matters/{draft['code']}/publish", headers=catalog.admin)
    await catalog.client.put(
        f"/api/v1/admin/matters/{draft['code']}", json={**draft, "name_zh": "第二版"}, headers=catalog.admin
    )
    second = await catalog.client.post(
        f"/api/v1/admin/matters/{draft['code']}/publish", headers=catalog.admin
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert (await catalog.get(f"/api/v1/matters/{draft['code']}/versions/1")).json() == first.json()
    current = (await catalog.get(f"/api/v1/matters/{draft['code']}")).json()
    assert (current["version"], current["name_zh"], current["status"]) == (2, "第二版", "published")
    again = await catalog.client.post(f"/api/v1/admin/matters/{draft['code']}/publish", headers=catalog.admin)
    assert again.status_code == 409


async def test_a_draft_is_invisible_to_everyone_but_admins(catalog: Catalog) -> None:
    draft = a_draft()
    created = await catalog.client.post("/api/v1/admin/matters", json=draft, headers=catalog.admin)

    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert (await catalog.get(f"/api/v1/matters/{draft['code']}")).status_code == 404
    assert (await catalog.get(f"/api/v1/matters/{draft['code']}/versions/1")).status_code == 404
    assert (await catalog.get("/api/v1/matters", params={"q": draft["name_zh"]})).json()["total"] == 0
    assert (await catalog.get(f"/api/v1/admin/matters/{draft['code']}/draft")).status_code == 403
    as_admin = await catalog.get(f"/api/v1/admin/matters/{draft['code']}/draft", headers=catalog.admin)
    assert as_admin.json()["preview"]["version"] == 1


async def test_invalid_drafts_get_422_naming_each_problem(catalog: Catalog) -> None:
    bad = a_draft(department="nowhere", materials=[{"material_type": "unicorn_cert"}])
    empty = {**a_draft(), "items": []}
    unknown_field = a_draft(form_fields=["favourite_colour"])

    responses = [
        await catalog.client.post("/api/v1/admin/matters", json=body, headers=catalog.admin)
        for body in (bad, empty, unknown_field)
    ]

    assert [r.status_code for r in responses] == [422, 422, 422]
    assert {e["field"] for e in responses[0].json()["errors"]} >= {
        "lead_department",
        "items[0].department",
        "items[0].materials[0].material_type",
    }
    assert "at least one service item" in responses[1].json()["detail"]
    assert "favourite_colour" in responses[2].json()["detail"]


async def test_an_item_of_another_matter_with_a_conflicting_field_definition_is_refused(
    catalog: Catalog,
) -> None:
    loose_id = {
        "name": "id_number",
        "title_zh": "身份证号",
        "title_en": "ID",
        "type": "string",
        "pattern": "^\\d+$",
        "example": "123",
    }
    draft = a_draft(item_code="mps-birth-registration", form_fields=[loose_id])

    response = await catalog.client.post("/api/v1/admin/matters", json=draft, headers=catalog.admin)

    assert response.status_code == 422
    assert "newborn-birth" in response.json()["detail"] and "id_number" in response.json()["detail"]


async def test_retiring_removes_a_matter_from_the_list_but_keeps_its_versions(catalog: Catalog) -> None:
    retired = await catalog.client.post("/api/v1/admin/matters/retirement/retire", headers=catalog.admin)

    assert retired.status_code == 200 and retired.json()["version"] == 1
    assert (await catalog.get("/api/v1/matters", params={"subject": "individual"})).json()["total"] == 4
    assert (await catalog.get("/api/v1/matters/retirement")).json()["status"] == "retired"
    assert (await catalog.get("/api/v1/matters/retirement/versions/1")).status_code == 200


async def test_lists_are_paginated_and_refuse_a_limit_above_one_hundred(catalog: Catalog) -> None:
    page = (await catalog.get("/api/v1/matters", params={"limit": 5, "offset": 10})).json()
    too_many = await catalog.get("/api/v1/departments", params={"limit": 101})

    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (13, 5, 10, 3)
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "limit"


async def test_every_department_of_a_published_matter_gets_its_task_topic(
    catalog: Catalog, kafka_bootstrap: str
) -> None:
    departments = {
        d["code"] for d in (await catalog.get("/api/v1/departments", params={"limit": 100})).json()["items"]
    }
    wanted = {task_topic(dept, catalog.topic_prefix) for dept in departments}

    async def created() -> bool:
        admin = AIOKafkaAdminClient(**kafka_options(kafka_bootstrap))
        await admin.start()
        try:
            return wanted <= set(await admin.list_topics())
        finally:
            await admin.close()

    assert await wait_for(created, timeout=30, message="the departments' task topics")


async def test_public_reads_of_items_departments_and_material_types(catalog: Catalog) -> None:
    item = (await catalog.get("/api/v1/items/mps-birth-registration")).json()
    department = await catalog.get("/api/v1/departments/nhc")
    missing = await catalog.get(f"/api/v1/departments/{random_code('d')}")
    types = (await catalog.get("/api/v1/material-types", params={"limit": 100})).json()

    assert item["department"] == "mps" and item["matters"] == ["newborn-birth"]
    assert department.json()["name_zh"] == "卫生健康委" and missing.status_code == 404
    assert "hukou_book" in {t["code"] for t in types["items"]}


async def test_every_published_item_names_its_department_for_consumers(catalog: Catalog) -> None:
    seeded = (await catalog.get("/api/v1/matters/newborn-birth")).json()
    draft = a_draft()
    await catalog.client.post("/api/v1/admin/matters", json=draft, headers=catalog.admin)
    published = await catalog.client.post(
        f"/api/v1/admin/matters/{draft['code']}/publish", headers=catalog.admin
    )

    for item in [*seeded["items"], *published.json()["items"]]:
        department = (await catalog.get(f"/api/v1/departments/{item['department']}")).json()
        assert (item["department_name_zh"], item["department_name_en"]) == (
            department["name_zh"],
            department["name_en"],
        )


async def test_stages_list_life_and_business_stages_in_order_with_their_matters(catalog: Catalog) -> None:
    individual = (await catalog.get("/api/v1/stages", params={"subject": "individual"})).json()
    everything = (await catalog.get("/api/v1/stages")).json()

    stages = {s["code"]: s for s in individual["items"]}
    assert individual["items"][0]["code"] == "birth" and stages["birth"]["name_zh"] == "出生"
    assert {s["subject"] for s in individual["items"]} == {"individual"}
    assert sum(s["matters"] for s in individual["items"]) == 5
    assert sum(s["matters"] for s in everything["items"]) == 13
    assert stages["death"]["matters"] == 0  # a known stage without a published matter is still shown
    birth = (await catalog.get("/api/v1/matters", params={"stage": "birth"})).json()
    assert [m["matter_code"] for m in birth["items"]] == ["newborn-birth"]
