"""The one clock: every "now" in OneMatter comes from a :class:`Clock`, every date a person sees is CST.

Rules (issue 15; 国家标准时间 is UTC+8 all year, no daylight saving):

* Instants are aware ``datetime`` values; storage keeps them in UTC, answers show them in
  ``Asia/Shanghai`` (``+08:00``). A naive datetime is a bug.
* A *date* that a person or a department sees — the day of an acceptance number, the legal clock's days,
  "today" for overdue, licence validity, statistics buckets — is the calendar date in China Standard Time,
  never the UTC date (20:04Z on 30 November is already 1 December in Beijing).
* This module is the only production code that reads the system clock (a guard test checks it).
  Tests pin time with :class:`FixedClock`; development runs "as of" an instant with :class:`AsOfClock`.
"""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Protocol
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, PlainSerializer, WithJsonSchema

__all__ = [
    "CHINA_TZ",
    "AsOfClock",
    "ChinaTime",
    "Clock",
    "FixedClock",
    "SystemClock",
    "china_date",
    "in_china",
    "system_now",
]

#: China Standard Time (UTC+8). ``Asia/Shanghai`` from the IANA database (``tzdata`` where the OS lacks it).
CHINA_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    """Where "now" comes from. ``now()`` is aware (UTC); ``today()`` is the date in China."""

    def now(self) -> datetime: ...

    def today(self) -> date: ...


def system_now() -> datetime:
    """The system clock as an aware UTC instant — the one read of it in production code."""
    return datetime.now(UTC)


def in_china(instant: datetime) -> datetime:
    """``instant`` shown in China Standard Time; raises ``ValueError`` for a naive datetime."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: OneMatter instants always carry an offset")
    return instant.astimezone(CHINA_TZ)


def china_date(instant: datetime) -> date:
    """The calendar date in China at ``instant`` (the date a person there would write down)."""
    return in_china(instant).date()


class _DatesInChina:
    def now(self) -> datetime:  # pragma: no cover - overridden
        raise NotImplementedError

    def today(self) -> date:
        return china_date(self.now())


class SystemClock(_DatesInChina):
    """The real time."""

    def now(self) -> datetime:
        return system_now()


class FixedClock(_DatesInChina):
    """A clock that stands still until a test moves it (``advance``/``set``)."""

    def __init__(self, at: datetime) -> None:
        self._at = _aware(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = _aware(at)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class AsOfClock(_DatesInChina):
    """Starts at ``as_of`` and runs forward in real time (development and test runs "as of" an instant).

    Production refuses it (see ``ServiceSettings.clock_as_of``): a platform whose legal clock can be set
    by configuration cannot be trusted.
    """

    def __init__(self, as_of: datetime) -> None:
        self._start = _aware(as_of)
        self._origin = _time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=_time.monotonic() - self._origin)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime: give the instant with an offset")
    return at.astimezone(UTC)


def _serialize_in_china(instant: datetime) -> str:
    return in_china(instant).isoformat()


#: An instant in an API answer: must be aware, and is written in RFC 3339 with ``+08:00``.
ChinaTime = Annotated[
    AwareDatetime,
    PlainSerializer(_serialize_in_china, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "description": "RFC 3339, China Standard Time"}),
]
