"""Unified acceptance through the gateway with real Kafka: 新生儿出生一件事 from one submission to a review.

zhangsan uploads one set of materials and fills the one form (built from the schema the catalog
publishes), submits once → five tasks reach five department topics → each department's officer approves
→ the application is completed (办结) → zhangsan's review (好差评) is accepted.
"""

from __future__ import annotations

import pytest
from onematter_events import task_topic
from onematter_testkit import read_events, wait_for
from onematter_testkit.applicant import submit_application, submit_matter, upload_material

pytestmark = pytest.mark.e2e

MATTER = "newborn-birth"
DEPARTMENTS = ["nhc", "ndcpa", "mps", "nhsa", "mohrss"]


async def test_zhangsan_gets_the_newborn_birth_matter_done_through_one_door(system) -> None:  # type: ignore[no-untyped-def]
    async with system.client() as client:
        zhangsan = await system.auth("zhangsan")
        submission = await submit_matter(client, zhangsan, MATTER)
        submitted, body, materials = submission.response, submission.body, submission.materials
        assert submitted.status_code == 201, submitted.text
        application = submitted.json()
        number = application["acceptance_number"]
        assert sorted(t["department"] for t in application["tasks"]) == sorted(DEPARTMENTS)

        for department in DEPARTMENTS:
            [event] = await read_events(
                system.kafka_bootstrap,
                task_topic(department, system.topic_prefix),
                count=1,
                timeout=60,
                where=lambda e: e.data.get("acceptance_number") == number,
            )
            assert event.type == "gov.onematter.task.assigned"
            officer = await system.auth(f"officer-{department}")
            approved = await client.post(
                f"/api/v1/tasks/{event.data['task_id']}/approve", json={}, headers=officer
            )
            assert approved.status_code == 200, approved.text

        detail = (await client.get(f"/api/v1/applications/{number}", headers=zhangsan)).json()
        assert detail["status"] == "completed"
        assert [e["kind"] for e in detail["timeline"]][-1] == "completed"

        lisi = await system.auth("lisi")
        assert (await client.get(f"/api/v1/applications/{number}", headers=lisi)).status_code == 404

        review = await client.post(
            f"/api/v1/applications/{number}/review",
            json={"level": 5, "comment": "一次办好"},
            headers=zhangsan,
        )
        assert review.status_code == 201, review.text
        assert review.json()["label"] == "非常满意"

        # 免证办: the approval issued the medical birth certificate as a licence, so a later
        # application that needs it is accepted without uploading it again.
        async def holds_the_licence() -> bool:
            licences = (await client.get("/api/v1/licences", headers=zhangsan)).json()["items"]
            return any(licence["licence_type"] == "birth_medical_cert" for licence in licences)

        await wait_for(holds_the_licence, timeout=60, message="the birth_medical_cert licence")
        without_upload = {t: m for t, m in materials.items() if t != "birth_medical_cert"}
        again = await submit_application(client, zhangsan, {**body, "materials": without_upload})
        assert again.status_code == 201, again.text


async def test_the_officer_of_a_resumed_task_opens_the_material_handed_in_by_the_supplement(system) -> None:  # type: ignore[no-untyped-def]
    """补正 through the gateway: mps asks for a new 户口簿; once handed in, mps (and not nhsa, whose task
    was never waiting) may download it."""
    async with system.client() as client:
        zhangsan = await system.auth("zhangsan")
        submitted = (await submit_matter(client, zhangsan, MATTER)).response
        assert submitted.status_code == 201, submitted.text
        application = submitted.json()
        task = next(t for t in application["tasks"] if t["department"] == "mps")
        mps, nhsa = await system.auth("officer-mps"), await system.auth("officer-nhsa")
        requested = await client.post(
            f"/api/v1/tasks/{task['id']}/request-supplement",
            json={"materials": ["hukou_book"], "reason": "户口簿页不清晰"},
            headers=mps,
        )
        assert requested.status_code == 200, requested.text
        new_book = await upload_material(client, zhangsan, "hukou_book")

        answered = await client.post(
            f"/api/v1/applications/{application['acceptance_number']}/supplements",
            json={"materials": {"hukou_book": new_book}},
            headers=zhangsan,
        )

        assert answered.status_code == 200, answered.text
        assert answered.json()["resumed_task_ids"] == [task["id"]]
        content_url = f"/api/v1/materials/{new_book}/content"

        async def mps_downloads() -> bool:
            return (await client.get(content_url, headers=mps)).status_code == 200

        await wait_for(mps_downloads, timeout=60, message="the grant of the supplemented material")
        assert (await client.get(content_url, headers=nhsa)).status_code == 404
        log = (await client.get("/api/v1/materials/access-log", headers=zhangsan)).json()["items"]
        assert any(e["material_id"] == new_book and e["task_id"] == task["id"] for e in log)
