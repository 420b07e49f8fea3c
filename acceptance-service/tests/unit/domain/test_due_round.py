"""The due-date round on an application (issue 15): a reminder, then the item's consequence.

新生儿出生一件事 is accepted on Tue 2025-09-30 (noon in Beijing). Calendar: 国办发明电〔2024〕12号 — 国庆
10-01..10-08 off, Saturday 10-11 worked. Hand counts are in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from acceptance_builders import ALL_MATERIALS, accepted_newborn
from acceptance_testing import newborn_matter
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.due_round import check_due_dates, due_dates
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.domain.task import Decision
from onematter_events.matters import DeferralTerm, DueTerm

CAL = WorkCalendar()
ACCEPTED = datetime(2025, 9, 30, 4, tzinfo=UTC)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)  # 10:00 in Beijing


def _task(application, department):
    return next(t for t in application.tasks if t.department == department)


def _round(application, today: date):
    horizon = CAL.add_working_days(today, 1)
    ids = [t.id for t in application.tasks]
    return check_due_dates(application, ids, today=today, horizon=horizon, now=_at(today), calendar=CAL)


def _with_supplement_request(application):
    """mps asks for hukou_book on Thu 10-09, due 10-15 (10-10, Sat 10-11, 10-13, 10-14, 10-15)."""
    mps = _task(application, "mps")
    application.request_supplement(
        mps,
        materials=["hukou_book"],
        reason="不清晰",
        officer_id="o",
        now=_at(date(2025, 10, 9)),
        due=date(2025, 10, 15),
    )
    return mps


def test_a_supplement_due_date_is_reminded_once_a_working_day_before():
    application = accepted_newborn(now=ACCEPTED)
    _with_supplement_request(application)

    early = _round(application, date(2025, 10, 13))  # horizon 10-14: not yet
    first = _round(application, date(2025, 10, 14))  # horizon 10-15: remind
    again = _round(application, date(2025, 10, 15))  # due today: still time, already reminded

    assert (early.alerts, again.alerts) == ([], [])
    [(alert, task)] = first.alerts
    assert (alert.step, alert.due_for, alert.due_on, alert.materials) == (
        "reminder",
        "supplement",
        date(2025, 10, 15),
        ("hukou_book",),
    )
    assert task.status == "waiting_supplement"
    assert [e.kind for e in application.new_entries][-1] == "supplement_reminder"


def test_an_unanswered_supplement_ends_the_task_as_the_item_says_and_closes_the_pause_on_the_due_date():
    application = accepted_newborn(now=ACCEPTED)
    mps = _with_supplement_request(application)

    expired = _round(application, date(2025, 10, 16))

    [(alert, task)] = expired.alerts
    assert alert.step == "expired" and task is mps
    assert (
        mps.status == "not_accepted" and mps.reason == "补正材料未在2025-10-15前提交，按事项规定，不予受理。"
    )
    assert mps.pauses[0].end == date(2025, 10, 15) and mps.supplement_due_on is None
    # 1 working day from 09-30 is 10-09; the pause (10-09, 10-15] holds 10-10, 11, 13, 14, 15 → 10-15,
    # not 10-16 (the day the round noticed)
    assert mps.deadline == date(2025, 10, 15)
    assert application.open_supplement == {} and application.status == "in_progress"
    assert not expired.completed
    assert [d.state for d in due_dates(mps)] == ["expired"]
    entry = application.new_entries[-1]
    assert (entry.kind, entry.detail["consequence"], entry.detail["due_on"]) == (
        "supplement_expired",
        "not_accepted",
        "2025-10-15",
    )


def test_an_answered_supplement_has_no_due_date_left_to_enforce():
    application = accepted_newborn(now=ACCEPTED)
    mps = _with_supplement_request(application)
    application.answer_supplement(
        {"hukou_book": "m-new"}, actor="zhangsan", now=_at(date(2025, 10, 13)), calendar=CAL
    )

    assert _round(application, date(2025, 10, 20)).alerts == []
    assert mps.status == "in_progress" and [d.state for d in due_dates(mps)] == ["answered"]


def _deferred_photo(**term):
    """photo deferred (容缺); only 社会保障卡申领 (mohrss) needs it."""
    matter = newborn_matter(deferrable=frozenset({"photo"}))
    if term:
        items = [
            i.model_copy(
                update={
                    "materials": [
                        m.model_copy(update={"deferral": DeferralTerm(**term)}) for m in i.materials
                    ]
                }
            )
            for i in matter.items
        ]
        matter = matter.model_copy(update={"items": items})
    materials = {k: v for k, v in ALL_MATERIALS.items() if k != "photo"}
    return accepted_newborn(now=ACCEPTED, matter=matter, materials=materials)


def test_a_deferred_material_is_due_its_terms_working_days_after_acceptance():
    application = _deferred_photo()  # the matter's 5 days: 10-09, 10, Sat 11, 13, 14

    mohrss = _task(application, "mohrss")

    assert mohrss.deferral_dues == {"photo": date(2025, 10, 14)} and mohrss.deferral_due == date(2025, 10, 14)
    assert application.supplement_due == date(2025, 10, 14)
    assert _task(application, "nhc").deferral_due is None


def test_a_deferred_material_is_reminded_then_its_consequence_completes_the_application():
    application = _deferred_photo(working_days=5, consequence="terminated", basis="本事项实施清单")
    for task in application.tasks:
        if task.department != "mohrss":
            application.decide(
                task, Decision("approved"), officer_id="o", now=_at(date(2025, 10, 9)), calendar=CAL
            )

    reminded = _round(application, date(2025, 10, 13))  # horizon 10-14
    expired = _round(application, date(2025, 10, 15))

    assert [(a.step, a.due_for) for a, _ in reminded.alerts] == [("reminder", "deferred")]
    [(alert, mohrss)] = expired.alerts
    assert mohrss.status == "terminated" and alert.term.consequence == "terminated"
    assert mohrss.reason == "容缺后补材料未在2025-10-14前提交，依据本事项实施清单，终止办理。"
    assert expired.completed and application.status == "completed_with_rejections"
    assert application.deferred_materials == []  # no open task awaits the photo any more
    assert [(r.department, r.reason) for r in application.rejections] == [("mohrss", mohrss.reason)]


def test_handing_in_the_deferred_material_clears_its_due_date():
    application = _deferred_photo()
    application.answer_supplement(
        {"photo": "m-photo"}, actor="zhangsan", now=_at(date(2025, 10, 10)), calendar=CAL
    )

    assert _task(application, "mohrss").deferral_due is None
    assert _round(application, date(2025, 10, 20)).alerts == []


def test_approval_waits_for_a_deferred_material_unless_the_item_allows_deciding_before_it_arrives():
    blocked, allowed = _deferred_photo(), _deferred_photo(decide_before_arrival=True)

    with pytest.raises(NotPossibleNow, match="still deferred"):
        blocked.decide(
            _task(blocked, "mohrss"),
            Decision("approved"),
            officer_id="o",
            now=_at(date(2025, 10, 9)),
            calendar=CAL,
        )
    allowed.decide(
        _task(allowed, "mohrss"),
        Decision("approved"),
        officer_id="o",
        now=_at(date(2025, 10, 9)),
        calendar=CAL,
    )

    assert _task(allowed, "mohrss").status == "approved"
    assert _round(allowed, date(2025, 10, 20)).alerts == []  # a decided task has nothing due


def test_a_supplement_term_of_the_item_is_the_default_due_date_and_consequence():
    matter = newborn_matter()
    items = [
        i.model_copy(update={"supplement_term": DueTerm(working_days=3, consequence="terminated")})
        for i in matter.items
    ]
    application = accepted_newborn(now=ACCEPTED, matter=matter.model_copy(update={"items": items}))

    assert _task(application, "mps").terms.supplement == DueTerm(working_days=3, consequence="terminated")
