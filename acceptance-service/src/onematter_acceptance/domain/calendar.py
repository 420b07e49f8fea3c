"""The calendar seam: what kind of day a date is on the national calendar (工作日, holidays, 调休).

Every use of the calendar in acceptance goes through one :class:`WorkCalendar` instance, built by the
composition root and passed to the domain as a plain value. It is ``onematter_workdays.WorkCalendar``
(issue 15): where a year's days come from, in order —

1. an official State Council notice (国务院办公厅关于XXXX年部分节假日安排的通知) the operator loaded
   (``POST /api/v1/admin/calendar/notices``, or the notices file ``WORK_CALENDAR_FILE`` as a seed; both are
   stored in the acceptance database), highest version per year;
2. the maintained ``chinese_calendar`` package, for the years it has data for;
3. the PROVISIONAL statutory calendar (《全国年节及纪念日放假办法》, 2024 revision: statutory holidays and
   第六条 补假, no guessed 调休) — every deadline that touched such a year is **provisional**.

The calendar also carries the non-working-day acceptance rule (:class:`NonWorkingDayRule`, setting
``NON_WORKING_DAY_RULE``), so every deadline states it in its explanation.
"""

from __future__ import annotations

from onematter_workdays import HolidayNotice, NonWorkingDayRule, NoticeOutdated, WorkCalendar

__all__ = ["HolidayNotice", "NonWorkingDayRule", "WorkCalendar", "with_newer_notice"]


def with_newer_notice(calendar: WorkCalendar, notice: HolidayNotice) -> WorkCalendar:
    """``calendar`` with ``notice`` in force for its year.

    Raises :class:`NoticeOutdated` when a notice of that year with the same or a higher version is already
    in force — even the identical notice: loading it again is refused, so it moves nothing twice.
    """
    loaded = calendar.notice_for(notice.year)
    if loaded is not None and loaded.version >= notice.version:
        raise NoticeOutdated(year=notice.year, loaded_version=loaded.version, offered_version=notice.version)
    return calendar.with_notice(notice)
