"""Supervisor statistics per matter and per department, and closing a rectification, on real PostgreSQL.

The known set (2025 national calendar: National Day 10-01..10-08 off, Sunday 09-28 a 调休 working day):

* A — accepted Thu 09-25, every task approved Mon 09-29: three working days (Fri, 调休 Sun, Mon); the 1-day
  tasks were due 09-26 and are late, the 10-day social security card item is on time, so is A (due 10-15);
* B — accepted Tue 09-30, every task approved Thu 10-09: one working day across the holiday, all on time;
  B's applicant gives a bad review, which opens a rectification for the lead department (nhc);
* C — accepted 10-09 by A's applicant, still in progress: two materials reused from A, two covered by
  licences held, so four materials avoided (少交材料).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from acceptance_testing import submission
from onematter_testkit import random_id

pytestmark = pytest.mark.integration


def _pin(service, day: date) -> None:
    service.pin(day)


@dataclass
class KnownSet:
    a: dict
    b: dict
    c: dict
    b_applicant: str


async def _submit(service, applicant: str, materials: dict[str, str], day: date) -> dict:
    _pin(service, day)
    response = await service.submit(applicant, body=submission(materials))
    assert response.status_code == 201, response.text
    return response.json()


async def _approve_all(service, application: dict, day: date) -> None:
    _pin(service, day)
    for task in application["tasks"]:
        officer = service.headers(f"officer-{task['department']}", "officer", department=task["department"])
        response = await service.client.post(f"/api/v1/tasks/{task['id']}/approve", json={}, headers=officer)
        assert response.status_code == 200, response.text


@pytest.fixture
async def known(service) -> KnownSet:
    first, second = random_id("zhangsan"), random_id("lisi")
    a_materials = service.materials.upload_all(first)
    a = await _submit(service, first, a_materials, date(2025, 9, 25))
    await _approve_all(service, a, date(2025, 9, 29))
    b = await _submit(service, second, service.materials.upload_all(second), date(2025, 9, 30))
    await _approve_all(service, b, date(2025, 10, 9))
    review = await service.client.post(
        f"/api/v1/applications/{b['acceptance_number']}/review",
        json={"level": 1, "comment": "等待太久"},
        headers=service.headers(second, "applicant"),
    )
    assert review.status_code == 201, review.text
    for licence_type in ("birth_medical_cert", "hukou_book"):
        service.materials.grant_licence(first, licence_type)
    reused = {k: a_materials[k] for k in ("id_card", "marriage_cert")}
    c = await _submit(
        service, first, {**reused, "photo": service.materials.upload(first, "photo")}, date(2025, 10, 9)
    )
    return KnownSet(a=a, b=b, c=c, b_applicant=second)


def _supervisor(service) -> dict[str, str]:
    return service.headers("supervisor", "supervisor")


async def _rows(service, kind: str, **params: str) -> dict[str, dict]:
    response = await service.client.get(
        f"/api/v1/statistics/{kind}", params=params, headers=_supervisor(service)
    )
    assert response.status_code == 200, response.text
    assert datetime.fromisoformat(response.json()["generated_at"])
    return {row["code"]: row for row in response.json()["items"]}


async def test_matter_statistics_count_on_time_working_days_avoided_materials_and_bad_reviews(service, known):
    newborn = (await _rows(service, "matters"))["newborn-birth"]

    assert newborn == {
        "code": "newborn-birth",
        "name": "新生儿出生一件事",
        "applications": 3,
        "completed": 2,
        "in_progress": 1,
        "on_time": 2,
        "on_time_rate": 1.0,
        "average_handling_working_days": 2.0,  # A: 3 (weekend, 调休 Sunday), B: 1 (across National Day)
        "materials_avoided": 4,
        "open_bad_reviews": 1,
    }


async def test_department_statistics_count_each_departments_tasks_on_time_or_late(service, known):
    rows = await _rows(service, "departments")

    assert set(rows) == {"nhc", "ndcpa", "mps", "nhsa", "mohrss"}
    assert rows["nhc"]["name"] == "国家卫生健康委员会"  # as the catalog published it with the items
    nhc, mohrss, mps = rows["nhc"], rows["mohrss"], rows["mps"]
    assert (nhc["applications"], nhc["completed"], nhc["in_progress"]) == (3, 2, 1)
    assert (nhc["on_time"], nhc["on_time_rate"]) == (1, 0.5)  # A's 1-day task was late
    assert (mohrss["on_time"], mohrss["on_time_rate"]) == (2, 1.0)  # 10 working days: A on time
    assert nhc["average_handling_working_days"] == 2.0
    assert (nhc["materials_avoided"], mps["materials_avoided"], mohrss["materials_avoided"]) == (2, 4, 1)
    assert (nhc["open_bad_reviews"], mps["open_bad_reviews"]) == (1, 0)


async def test_the_period_filters_on_the_submission_date_inclusively(service, known):
    since = (await _rows(service, "matters", **{"from": "2025-09-30"}))["newborn-birth"]
    until = (await _rows(service, "matters", to="2025-09-29"))["newborn-birth"]
    day = (await _rows(service, "departments", **{"from": "2025-10-09", "to": "2025-10-09"}))["mps"]

    assert (since["applications"], since["completed"], since["materials_avoided"]) == (2, 1, 4)
    assert (since["average_handling_working_days"], since["open_bad_reviews"]) == (1.0, 1)
    assert (until["applications"], until["average_handling_working_days"], until["open_bad_reviews"]) == (
        1,
        3.0,
        0,
    )
    assert (day["applications"], day["completed"], day["on_time_rate"]) == (1, 0, None)


async def test_a_matter_without_applications_is_listed_with_zeros_and_no_rates(service):
    newborn = (await _rows(service, "matters"))["newborn-birth"]

    assert newborn["applications"] == 0
    assert newborn["on_time_rate"] is None and newborn["average_handling_working_days"] is None


@pytest.mark.parametrize("kind", ["matters", "departments"])
async def test_statistics_are_for_supervisors_and_admins_only(service, kind):
    path = f"/api/v1/statistics/{kind}"
    officer = await service.client.get(path, headers=service.headers("o", "officer", department="nhc"))
    applicant = await service.client.get(path, headers=service.headers("zhangsan", "applicant"))
    admin = await service.client.get(path, headers=service.headers("admin", "admin"))

    assert (officer.status_code, applicant.status_code, admin.status_code) == (403, 403, 200)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2025-10-02", "to": "2025-10-01"}, "to"),
    ],
)
async def test_a_bad_period_is_a_422_problem_naming_the_parameter(service, params, field):
    response = await service.client.get(
        "/api/v1/statistics/matters", params=params, headers=_supervisor(service)
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"].split(".")[-1] for e in response.json()["errors"]]


async def test_a_supervisor_closes_a_rectification_once_with_a_note(service, known):
    [open_one] = (
        await service.client.get(
            "/api/v1/rectifications", params={"status": "open"}, headers=_supervisor(service)
        )
    ).json()["items"]
    path = f"/api/v1/rectifications/{open_one['id']}/close"

    by_officer = await service.client.post(
        path, json={"note": "x"}, headers=service.headers("o", "officer", department="nhc")
    )
    without_note = await service.client.post(path, json={}, headers=_supervisor(service))
    closed = await service.client.post(
        path, json={"note": "已约谈窗口，优化流程"}, headers=_supervisor(service)
    )
    again = await service.client.post(path, json={"note": "again"}, headers=_supervisor(service))
    unknown = await service.client.post(
        "/api/v1/rectifications/nope/close", json={"note": "x"}, headers=_supervisor(service)
    )

    assert (by_officer.status_code, without_note.status_code, again.status_code) == (403, 422, 409)
    assert unknown.status_code == 404
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["close_note"] == "已约谈窗口，优化流程"
    assert closed.json()["closed_by"] == "supervisor"
    assert (await _rows(service, "matters"))["newborn-birth"]["open_bad_reviews"] == 0
    timeline = (
        await service.client.get(
            f"/api/v1/applications/{known.b['acceptance_number']}", headers=_supervisor(service)
        )
    ).json()["timeline"]
    assert timeline[-1]["kind"] == "rectification_closed"


async def test_the_statistics_run_on_sqlite_too(sqlite_service):
    applicant = random_id("zhangsan")
    application = await _submit(
        sqlite_service, applicant, sqlite_service.materials.upload_all(applicant), date(2025, 9, 30)
    )
    await _approve_all(sqlite_service, application, date(2025, 10, 9))

    matter = (await _rows(sqlite_service, "matters", **{"from": "2025-09-30", "to": "2025-09-30"}))[
        "newborn-birth"
    ]
    department = (await _rows(sqlite_service, "departments", to="2025-09-30"))["mohrss"]

    assert (matter["completed"], matter["on_time_rate"], matter["average_handling_working_days"]) == (
        1,
        1.0,
        1.0,
    )
    assert (department["applications"], department["on_time"]) == (1, 1)
