"""China time through acceptance's API (issue 15): the service runs as of 2026-11-30T20:04:52Z, which is
already 1 December, 04:04 in Beijing.

Expected values, counted by hand on the calendar (December 2026 has no public holiday; 12-01 is a
Tuesday): the number and the clock's day 0 are 12-01; 20 working days after it are 12-02..04, 07..11,
14..18, 21..25, 28, 29, so the item is due 12-29, and on 12-01 the working days in (12-01, 12-29] are 20.
The issue's text says "19 left"; that is one fewer than its own due date allows under the counting rule
the workbench test pins (7 left on Monday 2025-09-29 for a task due 2025-10-15), so 20 is asserted here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from acceptance_testing import newborn_matter, submission
from onematter_clock import FixedClock
from onematter_testkit import random_id

pytestmark = pytest.mark.integration

AT = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)


async def test_a_submission_at_2004_utc_on_30_november_is_numbered_clocked_and_stamped_in_china(service):
    await service.publish_matter(newborn_matter(code="twenty-days", committed_days={"nhc": 20}))
    service.app.state.runtime.clock = FixedClock(AT)
    applicant = random_id("zhangsan")

    response = await service.submit(
        applicant, body=submission(service.materials.upload_all(applicant), matter_code="twenty-days")
    )

    assert response.status_code == 201, response.text
    application = response.json()
    nhc = next(t for t in application["tasks"] if t["department"] == "nhc")
    assert application["acceptance_number"].startswith("YJS-20261201-")
    assert (nhc["deadline_explanation"]["start"], nhc["deadline"]) == ("2026-12-01", "2026-12-29")
    assert nhc["working_days_left"] == 20
    assert application["accepted_at"] == "2026-12-01T04:04:52+08:00"
    assert application["timeline"][0]["at"] == "2026-12-01T04:04:52+08:00"


async def test_the_statistics_count_the_submission_on_its_day_in_china(service):
    service.app.state.runtime.clock = FixedClock(AT)
    applicant = random_id("zhangsan")
    assert (
        await service.submit(applicant, body=submission(service.materials.upload_all(applicant)))
    ).status_code == 201
    supervisor = service.headers("supervisor", "supervisor")

    async def applications(**period: str) -> int:
        response = await service.client.get("/api/v1/statistics/matters", params=period, headers=supervisor)
        assert response.status_code == 200, response.text
        assert response.json()["generated_at"] == "2026-12-01T04:04:52+08:00"
        return next(r["applications"] for r in response.json()["items"] if r["code"] == "newborn-birth")

    assert await applications(**{"from": "2026-12-01", "to": "2026-12-01"}) == 1
    assert await applications(to="2026-11-30") == 0
