"""Working days (工作日) a lawyer would sign: the national calendar and the legal clock of OneMatter.

Pure domain code: dates in, answers out; the only I/O is reading a notice file the caller names.

* :class:`WorkCalendar` — is a day a working day, next/previous working day, add N working days, working
  days between two dates; every answer can name its source per year: an official State Council notice
  (:class:`HolidayNotice`, validated and versioned), the ``chinese_calendar`` package, or a PROVISIONAL
  calendar from the statutory rule (《全国年节及纪念日放假办法》, 2024 revision: statutory holidays and
  第六条 补假, no guessed 调休).
* :class:`Deadline` — acceptance day, limit, pauses (补正), extensions → due date, with
  :meth:`Deadline.explain`.
  Counting: 《行政许可法》第八十二条 and 《民法典》第二百零一条; acceptance on a non-working day per
  :class:`NonWorkingDayRule`.
* :func:`deadline_move` — the deadline before and after loading a notice, to recompute and announce it.

All dates are calendar dates in China Standard Time; turn an instant into one with
``onematter_clock.china_date`` before asking.
"""

from onematter_workdays.calendar import WorkCalendar
from onematter_workdays.deadline import Deadline, PauseSpan, SkippedHoliday
from onematter_workdays.errors import NoticeInvalid, NoticeOutdated, WorkdaysError, YearNotSupported
from onematter_workdays.festivals import Festival
from onematter_workdays.moves import DeadlineMove, deadline_move
from onematter_workdays.notice import (
    AdjustedWorkday,
    HolidayNotice,
    HolidayPeriod,
    load_notice,
    load_notices,
    notice_from_dict,
)
from onematter_workdays.provisional import PROVISIONAL_YEARS, provisional_year
from onematter_workdays.sources import CalendarSource, DayStatus, SourceKind
from onematter_workdays.terms import COUNTING_RULE, Extension, NonWorkingDayRule, Pause, pauses_from_json

__all__ = [
    "COUNTING_RULE",
    "PROVISIONAL_YEARS",
    "AdjustedWorkday",
    "CalendarSource",
    "DayStatus",
    "Deadline",
    "DeadlineMove",
    "Extension",
    "Festival",
    "HolidayNotice",
    "HolidayPeriod",
    "NonWorkingDayRule",
    "NoticeInvalid",
    "NoticeOutdated",
    "Pause",
    "PauseSpan",
    "SkippedHoliday",
    "SourceKind",
    "WorkCalendar",
    "WorkdaysError",
    "YearNotSupported",
    "deadline_move",
    "load_notice",
    "load_notices",
    "notice_from_dict",
    "pauses_from_json",
    "provisional_year",
]
