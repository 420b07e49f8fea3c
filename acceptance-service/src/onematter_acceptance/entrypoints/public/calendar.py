"""The loaded holiday notices as the operator reads them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from onematter_acceptance.domain.calendar import HolidayNotice, WorkCalendar

__all__ = ["CalendarPublic", "NoticePublic"]


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
