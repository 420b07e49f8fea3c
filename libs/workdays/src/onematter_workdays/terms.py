"""The terms of a time limit: how the start is counted, pauses (补正) and extensions (延期).

See :mod:`onematter_workdays.deadline` for the counting rules and their sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = ["COUNTING_RULE", "Extension", "NonWorkingDayRule", "Pause", "pauses_from_json"]

COUNTING_RULE = (
    "Working days (工作日) on the national calendar, statutory holidays excluded and 调休 working weekends"
    " included (《行政许可法》第八十二条); the clock-start day is day 0 and not counted"
    " (《民法典》第二百零一条);"
    " N working days end on the N-th working day after it; paused working days and extensions are added."
)


class NonWorkingDayRule(StrEnum):
    """How an application accepted (受理) on a non-working day is counted.

    ``count_from_next_working_day`` (the DEFAULT): the acceptance day, working or not, is day 0, so day 1 is
    the next working day. The platform accepts when the application is submitted, so the start is that day
    and, by 《民法典》第二百零一条, not counted; of the two readings it gives the applicant the earlier due
    date, and it is how acceptance counted before this rule was written down.

    ``deemed_next_working_day``: the application is treated as accepted on the next working day (顺延), which
    becomes day 0, so day 1 is the working day after it — for offices whose rules deem applications received
    on a non-working day to be received on the next working day.
    """

    count_from_next_working_day = "count_from_next_working_day"
    deemed_next_working_day = "deemed_next_working_day"
    DEFAULT = "count_from_next_working_day"

    @property
    def description(self) -> str:
        if self is NonWorkingDayRule.deemed_next_working_day:
            return (
                "accepted on a non-working day: deemed accepted on the next working day (顺延),"
                " which is day 0"
            )
        return (
            "accepted on a non-working day: that day is day 0 and the next working day is day 1"
            " (《民法典》第二百零一条: 开始的当日不计入)"
        )


@dataclass(frozen=True)
class Pause:
    """The clock stopped after ``start`` (补正 requested) until ``end`` (supplement received).

    Open while ``end`` is None.
    """

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"a pause cannot end ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class Extension:
    """``working_days`` added to the limit on ``granted_on`` (e.g. 经负责人批准延长十日), with its reason."""

    working_days: int
    granted_on: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.working_days <= 0:
            raise ValueError("an extension adds at least one working day")


def pauses_from_json(rows: Iterable[Mapping[str, Any]]) -> list[Pause]:
    """Pauses as acceptance stores them: ``[{"from": "2025-10-09", "to": "2025-10-11" | null}]``."""
    return [
        Pause(date.fromisoformat(r["from"]), date.fromisoformat(r["to"]) if r.get("to") else None)
        for r in rows
    ]
