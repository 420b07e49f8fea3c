"""Which deadlines a newly loaded notice moves, so acceptance can recompute and announce them.

Only days in [start, due] decide a deadline, so a notice for year Y can move it only if that range meets Y
or the December before Y (:meth:`Deadline.touches`); :func:`deadline_move` gives the old and the new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from onematter_workdays.calendar import WorkCalendar
from onematter_workdays.deadline import Deadline
from onematter_workdays.terms import Extension, NonWorkingDayRule, Pause

__all__ = ["DeadlineMove", "deadline_move"]


@dataclass(frozen=True)
class DeadlineMove:
    """One deadline under the calendar before and after a change."""

    before: Deadline
    after: Deadline

    @property
    def moved(self) -> bool:
        """The due date changed (announce it to the applicant and the department)."""
        return self.before.due != self.after.due

    @property
    def changed(self) -> bool:
        """The due date or its provisional status changed (store the new deadline)."""
        return self.moved or self.before.provisional != self.after.provisional

    def explain(self) -> dict[str, Any]:
        return {
            "from": self.before.due.isoformat(),
            "to": self.after.due.isoformat(),
            "moved": self.moved,
            "was_provisional": self.before.provisional,
            "provisional": self.after.provisional,
            "calendar_before": [source.as_dict() for source in self.before.sources],
            "calendar_after": [source.as_dict() for source in self.after.sources],
        }


def deadline_move(
    before: WorkCalendar,
    after: WorkCalendar,
    *,
    start: date,
    working_days: int,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
    today: date | None = None,
    rule: NonWorkingDayRule | None = None,
) -> DeadlineMove:
    """The deadline of the same terms under ``before`` and ``after`` (e.g. ``before.with_notice(n)``)."""

    def under(calendar: WorkCalendar) -> Deadline:
        return calendar.deadline(
            start=start,
            working_days=working_days,
            pauses=pauses,
            extensions=extensions,
            today=today,
            rule=rule,
        )

    return DeadlineMove(before=under(before), after=under(after))
