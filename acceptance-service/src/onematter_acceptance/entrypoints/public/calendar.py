"""The loaded holiday notices as the operator reads them."""

from __future__ import annotations

from datetime import date

from onematter_kit.clock import ChinaTime
from pydantic import BaseModel

from onematter_acceptance.adapters.notices import StoredNotice
from onematter_acceptance.domain.calendar import HolidayNotice, WorkCalendar

__all__ = [
    "AdjustedWorkdayPublic",
    "CalendarPublic",
    "HolidayPeriodPublic",
    "NoticePublic",
    "StoredNoticePublic",
]


class NoticePublic(BaseModel):
    """One official notice (国务院办公厅关于XXXX年部分节假日安排的通知): its year, document number and
    version, and how many holiday periods and 调休 working days it arranges."""

    year: int
    document_number: str
    version: int
    issued_on: date
    title: str | None
    holiday_periods: int
    adjusted_workdays: int

    @classmethod
    def of(cls, notice: HolidayNotice) -> NoticePublic:
        return cls(
            year=notice.year,
            document_number=notice.document_number,
            version=notice.version,
            issued_on=notice.issued_on,
            title=notice.title,
            holiday_periods=len(notice.holidays),
            adjusted_workdays=len(notice.adjusted_workdays),
        )


class CalendarPublic(BaseModel):
    """The notices by year; years without one come from ``chinese_calendar`` or are provisional."""

    notices: list[NoticePublic]
    non_working_day_rule: str
    non_working_day_rule_description: str

    @classmethod
    def of(cls, calendar: WorkCalendar) -> CalendarPublic:
        return cls(
            notices=[NoticePublic.of(n) for n in calendar.notices],
            non_working_day_rule=calendar.rule.value,
            non_working_day_rule_description=calendar.rule.description,
        )


class HolidayPeriodPublic(BaseModel):
    name: str
    first: date
    last: date


class AdjustedWorkdayPublic(BaseModel):
    date: date
    holiday: str


class StoredNoticePublic(BaseModel):
    """A notice as stored by ``POST /api/v1/admin/calendar/notices``: the whole notice, when it was loaded,
    and how many applications' due dates it moved (each announced to its applicant and departments)."""

    id: int
    year: int
    document_number: str
    version: int
    issued_on: date
    title: str | None
    holidays: list[HolidayPeriodPublic]
    adjusted_workdays: list[AdjustedWorkdayPublic]
    loaded_at: ChinaTime
    deadlines_moved: int

    @classmethod
    def of(cls, stored: StoredNotice) -> StoredNoticePublic:
        notice = stored.notice
        return cls(
            id=stored.id,
            year=notice.year,
            document_number=notice.document_number,
            version=notice.version,
            issued_on=notice.issued_on,
            title=notice.title,
            holidays=[HolidayPeriodPublic(name=p.name, first=p.first, last=p.last) for p in notice.holidays],
            adjusted_workdays=[
                AdjustedWorkdayPublic(date=a.date, holiday=a.holiday) for a in notice.adjusted_workdays
            ],
            loaded_at=stored.loaded_at,
            deadlines_moved=stored.deadlines_moved,
        )
