"""The errors of the working-day calendar, one hierarchy under :class:`WorkdaysError`.

They are plain domain errors (no HTTP): a service maps :class:`NoticeInvalid` to a 422 problem listing
``problems``, :class:`NoticeOutdated` to a 409, and :class:`YearNotSupported` to a 422. Messages name dates,
holidays and document numbers only — nothing personal.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["NoticeInvalid", "NoticeOutdated", "WorkdaysError", "YearNotSupported"]


class WorkdaysError(Exception):
    """Root of every error this library raises on purpose."""


class NoticeInvalid(WorkdaysError, ValueError):
    """A holiday notice (放假通知) that cannot be loaded; ``problems`` names every problem found, in order."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        count = len(self.problems)
        super().__init__(
            f"the holiday notice is invalid ({count} problem{'s' * (count != 1)}): "
            + "; ".join(self.problems)
        )


class NoticeOutdated(WorkdaysError):
    """A notice whose version is not newer than the one already loaded for its year (and differs from it)."""

    def __init__(self, *, year: int, loaded_version: int, offered_version: int) -> None:
        self.year, self.loaded_version, self.offered_version = year, loaded_version, offered_version
        super().__init__(
            f"version {loaded_version} of the {year} notice is loaded; version {offered_version} is not newer"
            " (load a higher version to replace it)"
        )


class YearNotSupported(WorkdaysError, ValueError):
    """A year for which no calendar can be made (before the statutory rule this library implements)."""
