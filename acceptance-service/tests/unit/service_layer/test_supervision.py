"""效能监督: statistics rows from the repositories' figures, rectifications listed and closed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.domain.reviews import Rectification, Review
from onematter_acceptance.domain.statistics import Figures, Period
from onematter_acceptance.service_layer.commands import CloseRectification
from onematter_acceptance.service_layer.supervision import (
    ListRectifications,
    ReadStatistics,
    close_rectification,
    list_rectifications,
    statistics,
)
from onematter_kit.errors import NotFoundError
from onematter_testkit import make_principal

SUPERVISOR = make_principal("supervisor", "supervisor")
NOW = datetime(2025, 10, 9, 2, tzinfo=UTC)


def _rectification(department: str = "nhc", due: date = date(2025, 10, 30)) -> Rectification:
    review = Review("a-1", "zhangsan", 1, "非常不满意", "", True, NOW)
    return Rectification.for_review(
        review, acceptance_number="YJS-20251009-000001", department=department, due=due
    )


async def test_a_published_matter_without_applications_is_a_row_of_zeros(uow):
    result = await statistics(ReadStatistics("matter", Period()), uow)

    [row] = result.items
    assert (row.code, row.name, row.applications, row.on_time_rate) == (
        "newborn-birth",
        "新生儿出生一件事",
        0,
        None,
    )
    assert result.generated_at == uow.clock.now()


async def test_department_rows_are_named_sorted_by_applications_and_asked_for_the_period(uow):
    uow.fake_statistics.figures_by["department"] = {
        "mps": Figures(applications=2, completed=1, on_time=1),
        "unknown": Figures(applications=5),
    }
    uow.fake_statistics.bad_by["department"] = {"nhc": 1}
    period = Period(date(2025, 9, 30), date(2025, 10, 9))

    result = await statistics(ReadStatistics("department", period), uow)

    codes = [r.code for r in result.items]
    assert codes[:2] == ["unknown", "mps"] and set(codes) == {
        "unknown",
        "mps",
        "nhc",
        "ndcpa",
        "nhsa",
        "mohrss",
    }
    by_code = {r.code: r for r in result.items}
    assert (by_code["mps"].name, by_code["mps"].on_time_rate) == ("公安部", 1.0)
    assert by_code["nhc"].open_bad_reviews == 1 and by_code["unknown"].name == "unknown"
    assert uow.fake_statistics.asked == [("department", period)]


async def test_a_rectification_is_closed_once_and_the_close_is_on_the_timeline(uow):
    rectification = _rectification()
    uow.fake_rectifications.stored[rectification.id] = rectification
    command = CloseRectification(rectification_id=rectification.id, supervisor=SUPERVISOR, note="已约谈窗口")

    closed = await close_rectification(command, uow)

    assert closed.status == "closed" and uow.fake_rectifications.stored[rectification.id].status == "closed"
    assert [(e.kind, e.detail["note"]) for e in uow.timeline.stored] == [
        ("rectification_closed", "已约谈窗口")
    ]
    with pytest.raises(NotPossibleNow):
        await close_rectification(command, uow)


async def test_an_unknown_rectification_is_not_found(uow):
    command = CloseRectification(rectification_id="nope", supervisor=SUPERVISOR, note="x")

    with pytest.raises(NotFoundError):
        await close_rectification(command, uow)


async def test_rectifications_are_listed_earliest_due_first_and_filtered(uow):
    late, early, other = _rectification(due=date(2025, 11, 1)), _rectification(), _rectification("mps")
    for r in (late, early, other):
        uow.fake_rectifications.stored[r.id] = r

    found, total = await list_rectifications(ListRectifications(limit=10, offset=0, department="nhc"), uow)

    assert [r.id for r in found] == [early.id, late.id] and total == 2
