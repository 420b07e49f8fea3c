"""One task's share of the legal clock: live deadline, days left, late, pause and resume."""

from datetime import UTC, date, datetime

import pytest
from acceptance_builders import accepted_newborn
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.clock import Pause
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.domain.task import TaskStatus

CALENDAR = WorkCalendar()


def _mps():
    application = accepted_newborn(now=datetime(2025, 9, 30, 4, tzinfo=UTC))
    return next(t for t in application.tasks if t.department == "mps")  # due 10-09


def test_a_paused_task_is_never_late_and_its_live_deadline_keeps_moving():
    task = _mps()
    task.pause(["hukou_book"], today=date(2025, 10, 9))

    live = task.live_deadline(CALENDAR, date(2025, 10, 13))

    # paused over 10-10, 11 (调休) and 13: due 10-09 moves three working days, to 10-13
    assert live.due == date(2025, 10, 13)
    assert not task.is_late(today=date(2025, 10, 13), due=task.deadline)
    assert task.days_left(CALENDAR, today=date(2025, 10, 13), due=live.due) == 0


def test_a_running_task_past_its_deadline_is_late_and_an_ended_one_has_no_days_left():
    task = _mps()

    assert task.is_late(today=date(2025, 10, 10), due=task.deadline)
    task.cancel()
    assert task.days_left(CALENDAR, today=date(2025, 10, 10), due=task.deadline) is None


def test_a_waiting_task_cannot_be_paused_again():
    task = _mps()
    task.pause(["hukou_book"], today=date(2025, 10, 9))

    with pytest.raises(NotPossibleNow, match="waiting_supplement"):
        task.pause(["photo"], today=date(2025, 10, 9))
    assert task.pauses == [Pause(date(2025, 10, 9))]


def test_resuming_closes_the_pause_and_clears_the_warning():
    task = _mps()
    task.warned = True
    task.pause(["hukou_book"], today=date(2025, 10, 9))

    task.resume(today=date(2025, 10, 11), calendar=CALENDAR)

    assert task.pauses == [Pause(date(2025, 10, 9), date(2025, 10, 11))]
    assert (task.status, task.requested_materials, task.warned) == (TaskStatus.in_progress, [], False)
