"""The operator's notices file (``WORK_CALENDAR_FILE``): reading it, and noticing when it changed.

The file holds official State Council holiday notices (国务院办公厅关于XXXX年部分节假日安排的通知) in the
shape of ``onematter_workdays.HolidayNotice`` — one notice or a list of them, YAML (``.yaml``/``.yml``) or
JSON::

    - year: 2027
      document_number: 国办发明电〔2026〕N号
      issued_on: 2026-11-10
      version: 1
      holidays: [{name: 元旦, first: 2027-01-01, last: 2027-01-01}, ...]
      adjusted_workdays: [{date: 2027-02-07, holiday: 春节}]

It is validated when read: an invalid file raises ``NoticeInvalid`` listing every problem (at start the
service refuses to run with it; a later change that is invalid is logged and the old calendar kept).

The file is a seed: its notices are stored in the acceptance database like those loaded through the API
(:mod:`onematter_acceptance.service_layer.notices`), and every replica's calendar comes from there.
"""

from __future__ import annotations

import os
from pathlib import Path

from onematter_workdays import HolidayNotice, load_notices

from onematter_acceptance.domain.calendar import NonWorkingDayRule, WorkCalendar

__all__ = ["CalendarFile", "load_operator_notices"]


def load_operator_notices(path: str | Path | None) -> tuple[HolidayNotice, ...]:
    """The notices in ``path``; none without a path. Raises ``NoticeInvalid`` / ``OSError``."""
    return load_notices(path) if path else ()


class CalendarFile:
    """The file at ``path`` (or none): builds the :class:`WorkCalendar`, and gives its notices again when it
    changed."""

    def __init__(self, path: str | None, *, rule: NonWorkingDayRule = NonWorkingDayRule.DEFAULT) -> None:
        self.path = path
        self.rule = rule
        self._seen = self._mtime()
        #: The file's notices are not stored yet: the first look gives them even if the file is unchanged.
        self._first = True

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(load_operator_notices(self.path), rule=self.rule)

    def changed_notices(self) -> tuple[HolidayNotice, ...] | None:
        """The file's notices on the first look and whenever it changed since the last look, else ``None``
        (also without a file). Raises ``NoticeInvalid`` for an invalid file."""
        mtime, first = self._mtime(), self._first
        if not self.path or (mtime == self._seen and not first):
            return None
        self._seen, self._first = mtime, False
        return () if mtime is None else load_operator_notices(self.path)

    def _mtime(self) -> float | None:
        try:
            return os.stat(self.path).st_mtime if self.path else None
        except OSError:
            return None
