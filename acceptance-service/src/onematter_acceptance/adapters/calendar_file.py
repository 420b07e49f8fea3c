"""The operator calendar file (``WORK_CALENDAR_FILE``): reading it, and noticing when it changed.

``{"years": [2027], "holidays": {"2027-01-01": "元旦"}, "workdays": ["2027-02-07"]}`` — JSON, or YAML
(``.yaml``/``.yml``). ``years`` lists the years the file fully describes; a year missing from it stays
provisional even if a date of it is listed. ``holidays`` may also be a bare list of dates.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from onematter_acceptance.domain.calendar import OperatorCalendar, WorkCalendar

__all__ = ["CalendarFile", "load_operator_calendar"]


def load_operator_calendar(path: str | Path | None) -> OperatorCalendar:
    """The operator calendar in ``path``; an empty one without a path."""
    if not path:
        return OperatorCalendar()
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith((".yaml", ".yml")):
        import yaml

        raw: dict[str, Any] = yaml.safe_load(text) or {}
    else:
        raw = json.loads(text)
    holidays = raw.get("holidays", {})
    if isinstance(holidays, list):  # a bare list of dates, without names
        holidays = {d: "holiday" for d in holidays}
    return OperatorCalendar(
        years=frozenset(int(y) for y in raw.get("years", [])),
        holidays={date.fromisoformat(str(d)): str(name) for d, name in holidays.items()},
        workdays=frozenset(date.fromisoformat(str(d)) for d in raw.get("workdays", [])),
    )


class CalendarFile:
    """The file at ``path`` (or none): builds the :class:`WorkCalendar`, and again when it changed."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._seen = self._mtime()

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(load_operator_calendar(self.path))

    def changed_calendar(self) -> WorkCalendar | None:
        """A new calendar if the file changed since the last look, else ``None``."""
        mtime = self._mtime()
        if not self.path or mtime == self._seen:
            return None
        self._seen = mtime
        return self.calendar()

    def _mtime(self) -> float | None:
        try:
            return os.stat(self.path).st_mtime if self.path else None
        except OSError:
            return None
