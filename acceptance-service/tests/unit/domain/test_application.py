"""The application's transitions after acceptance, on the 2025 national calendar (National Day 10-01..08
off, Saturday 10-11 a 调休 working day). 新生儿出生一件事 accepted at noon on 09-30 in Beijing: the four
1-day items are due 10-09, the 10-day social security card item 10-21."""

from datetime import UTC, date, datetime

import pytest
from acceptance_builders import accepted_newborn, official_2027
from onematter_acceptance.domain.application import ApplicationStatus, Rejection
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.domain.reviews import Review
from onematter_acceptance.domain.task import Decision, TaskStatus

CALENDAR = WorkCalendar()


def _at(day: date, hour_in_beijing: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour_in_beijing - 8, tzinfo=UTC)


def _accepted():
    return accepted_newborn(now=_at(date(2025, 9, 30), 12))


def _task(application, department):
    return next(t for t in application.tasks if t.department == department)


def _approve_all(application, day: date):
    completed = [
        application.decide(
            t, Decision("approved"), officer_id=f"o-{t.department}", now=_at(day), calendar=CALENDAR
        )
        for t in application.tasks
    ]
    return completed


def test_a_supplement_request_pauses_the_task_and_merges_into_one_request_for_the_applicant():
    application = _accepted()
    mps, mohrss = _task(application, "mps"), _task(application, "mohrss")

    for task in (mps, mohrss):
        application.request_supplement(
            task,
            materials=["hukou_book"],
            reason=f"{task.department}: 不清晰",
            officer_id="o",
            now=_at(date(2025, 10, 9)),
        )

    assert (mps.status, mps.requested_materials) == (TaskStatus.waiting_supplement, ["hukou_book"])
    assert mps.pauses[0].start == date(2025, 10, 9) and mps.pauses[0].is_open
    assert application.status == ApplicationStatus.waiting_supplement
    assert application.open_supplement["hukou_book"].departments == ("mps", "mohrss")
    assert [e.kind for e in application.new_entries][-2:] == ["supplement_requested", "supplement_requested"]


def test_answering_resumes_the_task_and_moves_its_deadline_by_the_pauses_working_days():
    application = _accepted()
    mps = _task(application, "mps")
    application.request_supplement(
        mps, materials=["hukou_book"], reason="r", officer_id="o", now=_at(date(2025, 10, 9))
    )

    resumed = application.answer_supplement(
        {"hukou_book": "m-new"}, actor="zhangsan", now=_at(date(2025, 10, 11)), calendar=CALENDAR
    )

    assert [r.task_id for r in resumed] == [mps.id]
    assert resumed[0].material_ids == ["m-new"]
    assert mps.status == TaskStatus.in_progress
    assert mps.deadline == date(2025, 10, 11)  # 10-09 + Fri 10-10 + 调休 Sat 10-11
    assert application.status == ApplicationStatus.in_progress
    assert application.materials["hukou_book"].material_id == "m-new"
    assert {m.material_id for m in mps.materials if m.material_type == "hukou_book"} == {"m-new"}


def test_only_the_tasks_no_longer_waiting_resume():
    application = _accepted()
    mps, ndcpa = _task(application, "mps"), _task(application, "ndcpa")
    now = _at(date(2025, 10, 9))
    application.request_supplement(mps, materials=["hukou_book"], reason="r", officer_id="o", now=now)
    application.request_supplement(
        ndcpa, materials=["birth_medical_cert"], reason="r", officer_id="o", now=now
    )

    resumed = application.answer_supplement(
        {"hukou_book": "m-new"}, actor="zhangsan", now=now, calendar=CALENDAR
    )

    assert [r.task_id for r in resumed] == [mps.id]
    assert ndcpa.status == TaskStatus.waiting_supplement
    assert application.status == ApplicationStatus.waiting_supplement
    assert list(application.open_supplement) == ["birth_medical_cert"]


def test_a_supplement_nobody_asked_for_is_named_and_an_ended_application_takes_none():
    application = _accepted()

    problems = application.supplement_problems(["photo"])
    _approve_all(application, date(2025, 10, 9))

    assert problems == [{"field": "materials.photo", "message": "was not requested"}]
    with pytest.raises(NotPossibleNow, match="completed"):
        application.supplement_problems(["photo"])


def test_the_last_approval_completes_the_application_once_on_time():
    application = _accepted()

    completed = _approve_all(application, date(2025, 10, 9))

    assert completed == [False, False, False, False, True]
    assert application.status == ApplicationStatus.completed
    assert (application.on_time, application.handling_working_days) == (True, 1)  # 09-30 → 10-09
    assert [e.kind for e in application.new_entries].count("completed") == 1


def test_a_rejected_task_completes_the_application_with_rejections_and_their_reasons():
    application = _accepted()
    first, *others = application.tasks
    for task in others:
        application.decide(
            task, Decision("approved"), officer_id="o", now=_at(date(2025, 10, 9)), calendar=CALENDAR
        )

    application.decide(
        first, Decision("rejected", "信息不符"), officer_id="o", now=_at(date(2025, 10, 9)), calendar=CALENDAR
    )

    assert application.status == ApplicationStatus.completed_with_rejections
    assert application.rejections == [Rejection(first.id, first.item_code, first.department, "信息不符")]


def test_a_task_is_decided_once_and_a_late_decision_is_recorded_as_late():
    application = _accepted()
    nhc = _task(application, "nhc")

    application.decide(
        nhc, Decision("approved"), officer_id="o", now=_at(date(2025, 10, 10)), calendar=CALENDAR
    )

    assert (nhc.on_time, nhc.handling_working_days) == (False, 2)
    assert nhc.licence_type == "birth_medical_cert"  # the item issues it unless the officer names another
    with pytest.raises(NotPossibleNow, match="approved"):
        application.decide(
            nhc, Decision("rejected", "x"), officer_id="o", now=_at(date(2025, 10, 10)), calendar=CALENDAR
        )


def test_withdrawal_cancels_the_open_tasks_and_only_before_completion():
    application = _accepted()
    nhc = _task(application, "nhc")
    application.decide(
        nhc, Decision("approved"), officer_id="o", now=_at(date(2025, 10, 9)), calendar=CALENDAR
    )

    cancelled = application.withdraw(actor="zhangsan", now=_at(date(2025, 10, 9)))

    assert {t.department for t in cancelled} == {"ndcpa", "mps", "nhsa", "mohrss"}
    assert application.status == ApplicationStatus.withdrawn and nhc.status == TaskStatus.approved
    with pytest.raises(NotPossibleNow, match="already withdrawn"):
        application.withdraw(actor="zhangsan", now=_at(date(2025, 10, 9)))


def test_a_bad_review_after_completion_opens_a_rectification_due_in_fifteen_working_days():
    application = _accepted()
    with pytest.raises(NotPossibleNow):
        application.review(
            level=1,
            comment="",
            reviewer="zhangsan",
            earlier=None,
            now=_at(date(2025, 10, 9)),
            calendar=CALENDAR,
        )
    _approve_all(application, date(2025, 10, 9))

    review, rectification = application.review(
        level=2,
        comment="跑了两次",
        reviewer="zhangsan",
        earlier=None,
        now=_at(date(2025, 10, 9)),
        calendar=CALENDAR,
    )

    assert (review.label, review.bad) == ("不满意", True)
    assert rectification is not None and rectification.department == "nhc"
    # 15 working days after Thu 10-09: 10-10, 11 (调休) = 2, 13-17 = 7, 20-24 = 12, 27, 28, 29 = 15
    assert rectification.due == date(2025, 10, 29)


def test_an_application_is_reviewed_once_and_a_good_review_opens_nothing():
    application = _accepted()
    _approve_all(application, date(2025, 10, 9))
    earlier = Review(application.id, "zhangsan", 5, "非常满意", "", False, _at(date(2025, 10, 9)))

    review, rectification = application.review(
        level=4, comment="", reviewer="zhangsan", earlier=None, now=_at(date(2025, 10, 9)), calendar=CALENDAR
    )

    assert rectification is None and review.label == "满意"
    with pytest.raises(NotPossibleNow, match="already been reviewed"):
        application.review(
            level=5,
            comment="",
            reviewer="zhangsan",
            earlier=earlier,
            now=_at(date(2025, 10, 9)),
            calendar=CALENDAR,
        )


def test_the_clock_check_warns_a_working_day_before_and_flags_overdue_after_each_once():
    application = _accepted()
    ids = [t.id for t in application.tasks]

    warned = application.check_clock(
        ids, today=date(2025, 10, 8), horizon=date(2025, 10, 9), calendar=CALENDAR
    )
    again = application.check_clock(
        ids, today=date(2025, 10, 8), horizon=date(2025, 10, 9), calendar=CALENDAR
    )
    late = application.check_clock(
        ids, today=date(2025, 10, 10), horizon=date(2025, 10, 11), calendar=CALENDAR
    )

    assert sorted(t.department for _, t in warned) == ["mps", "ndcpa", "nhc", "nhsa"]
    assert {a for a, _ in warned} == {"overdue-warning"} and again == []
    assert {a for a, _ in late} == {"overdue"} and len(late) == 4


def test_the_clock_check_recomputes_a_provisional_deadline_once_the_year_is_official():
    application = accepted_newborn(now=_at(date(2026, 12, 28)))
    mohrss = _task(application, "mohrss")
    official = official_2027()

    application.check_clock(
        [mohrss.id], today=date(2026, 12, 28), horizon=date(2026, 12, 29), calendar=official
    )

    assert not mohrss.deadline_provisional and not application.deadline_provisional
    # 10 working days after Mon 12-28: 29, 30, 31, (元旦 01-01..03 off) 01-04..08, 11, 12 → 01-12 (the
    # provisional calendar gave the same date, 元旦 being a statutory holiday; only the flag changes)
    assert mohrss.deadline == date(2027, 1, 12) == application.deadline
