"""Deadlines after an official notice: recomputed once, the moved ones reported with the stored old date.

Hand count (independent of the code): accepted Wednesday 2027-01-20 (day 0). The PROVISIONAL 2027 calendar
has 春节 from the statute only — 除夕 02-05 (Fri) to 初三 02-08 (Mon), 初一/初二 on the weekend made up
(第六条 补假) on 02-09 and 02-10. The made-up notice gives 02-05..02-12 off and makes Saturday 02-20 a
working day. Working days after 01-20: 01-21, 22 (2), 25..29 (7), 02-01..04 (11); then
provisional: 02-11, 12 (13), 15..19 (18), 22 (19), 23 (20) → 20 days due 02-23, 15 days due 02-16;
official: 02-15..19 (16), 20 (17), 22 (18), 23 (19), 24 (20) → 20 days due 02-24, 15 days due 02-18.
A 1-day task (due 01-21) does not move but stops being provisional.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from acceptance_builders import accepted_newborn, notice_2027
from acceptance_testing import newborn_matter
from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.deadline_changes import follow_calendar, reach
from onematter_acceptance.domain.task import TaskStatus
from onematter_workdays import notice_from_dict

NOTICE = notice_from_dict(notice_2027())
PROVISIONAL = WorkCalendar()
OFFICIAL = PROVISIONAL.with_notice(NOTICE)
NOW = datetime(2027, 1, 25, 2, tzinfo=UTC)


def _application() -> Application:
    matter = newborn_matter(committed_days={"mohrss": 20, "mps": 15})
    return accepted_newborn(now=datetime(2027, 1, 20, 2, tzinfo=UTC), matter=matter, calendar=PROVISIONAL)


def test_the_application_was_provisional_before_the_notice():
    application = _application()

    assert application.deadline == date(2027, 2, 23) and application.deadline_provisional
    assert {t.department: t.deadline for t in application.tasks}["mps"] == date(2027, 2, 16)


def test_a_notice_moves_the_tasks_it_touches_and_the_application_follows_its_latest_task():
    application = _application()

    change = follow_calendar(application, before=PROVISIONAL, after=OFFICIAL, notice=NOTICE, now=NOW)

    assert change is not None and change.moved
    assert (change.previous, application.deadline) == (date(2027, 2, 23), date(2027, 2, 24))
    assert not application.deadline_provisional
    moved = {m.task.department: (m.previous, m.task.deadline) for m in change.moved_tasks}
    assert moved == {
        "mohrss": (date(2027, 2, 23), date(2027, 2, 24)),
        "mps": (date(2027, 2, 16), date(2027, 2, 18)),
    }
    assert change.deciding.task.department == "mohrss"
    assert change.deciding.move.explain()["calendar_after"][0]["reference"] == "国办发明电〔2026〕99号"


def test_a_task_that_only_stops_being_provisional_is_stored_but_not_reported_as_moved():
    application = _application()

    change = follow_calendar(application, before=PROVISIONAL, after=OFFICIAL, notice=NOTICE, now=NOW)

    assert change is not None
    nhc = next(t for t in application.tasks if t.department == "nhc")
    assert (nhc.deadline, nhc.deadline_provisional) == (date(2027, 1, 21), False)
    assert "nhc" in {m.task.department for m in change.tasks}
    assert "nhc" not in {m.task.department for m in change.moved_tasks}


def test_following_the_same_calendar_again_changes_nothing():
    application = _application()
    follow_calendar(application, before=PROVISIONAL, after=OFFICIAL, notice=NOTICE, now=NOW)

    again = follow_calendar(application, before=PROVISIONAL, after=OFFICIAL, notice=NOTICE, now=NOW)

    assert again is None


def test_an_ended_task_keeps_its_deadline():
    application = _application()
    mps = next(t for t in application.tasks if t.department == "mps")
    mps.status = TaskStatus.approved

    change = follow_calendar(application, before=PROVISIONAL, after=OFFICIAL, notice=NOTICE, now=NOW)

    assert change is not None and mps.deadline == date(2027, 2, 16)
    assert "mps" not in {m.task.department for m in change.tasks}


def test_the_move_is_written_in_the_timeline_with_the_notice():
    application = _application()
    application.new_entries.clear()

    follow_calendar(application, before=PROVISIONAL, after=OFFICIAL, notice=NOTICE, now=NOW)

    [entry] = application.new_entries
    assert entry.kind == "deadline_changed"
    assert entry.detail["notice"] == {"year": 2027, "document_number": "国办发明电〔2026〕99号", "version": 1}
    assert (entry.detail["previous_deadline"], entry.detail["deadline"]) == ("2027-02-23", "2027-02-24")


def test_a_notice_reaches_deadlines_due_from_the_december_before_and_started_by_its_years_end():
    assert reach(NOTICE) == (date(2026, 12, 1), date(2027, 12, 31))
