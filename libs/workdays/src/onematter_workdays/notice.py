"""An official holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知), validated and versioned.

The operator loads the notice for a year from a YAML/JSON file or posts the same shape to the admin API::

    year: 2025
    document_number: 国办发明电〔2024〕12号
    issued_on: 2024-11-12
    version: 1                       # a corrected notice for the same year gets a higher version
    holidays:                        # 放假 periods, first and last day inclusive, named as in the notice
      - {name: 春节, first: 2025-01-28, last: 2025-02-04}
      - {name: 国庆节、中秋节, first: 2025-10-01, last: 2025-10-08}
    adjusted_workdays:               # 调休上班: weekend days that are working days, with their holiday
      - {date: 2025-01-26, holiday: 春节}

Validation (see :mod:`onematter_workdays.notice_checks`) reports *every* problem at once as
:class:`~onematter_workdays.errors.NoticeInvalid`; a notice that fails changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Self

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from onematter_workdays.errors import NoticeInvalid
from onematter_workdays.notice_checks import notice_problems
from onematter_workdays.sources import CalendarSource, DayEntry, SourceKind

__all__ = [
    "AdjustedWorkday",
    "HolidayNotice",
    "HolidayPeriod",
    "load_notice",
    "load_notices",
    "notice_from_dict",
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Only a date or ``YYYY-MM-DD`` (no datetimes, no timestamps: 20250101 must not become 1970)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)
    raise ValueError("expected a date written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
_STRICT = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class HolidayPeriod(BaseModel):
    """A 放假 period: ``first`` to ``last`` inclusive, every day off; ``name`` as the notice writes it."""

    model_config = _STRICT
    name: str = Field(min_length=1, max_length=40)
    first: IsoDate
    last: IsoDate

    def days(self) -> tuple[date, ...]:
        return tuple(self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1))


class AdjustedWorkday(BaseModel):
    """A 调休上班 day: a Saturday or Sunday that is a working day, moved for ``holiday``."""

    model_config = _STRICT
    date: IsoDate
    holiday: str = Field(min_length=1, max_length=40)


class HolidayNotice(BaseModel):
    """The State Council's arrangement of one year's holidays; ``version`` orders corrections of a year."""

    model_config = _STRICT
    year: int = Field(ge=1999, le=2199)
    document_number: str = Field(min_length=1, max_length=60)
    issued_on: IsoDate
    version: int = Field(default=1, ge=1)
    title: str | None = Field(default=None, max_length=200)
    holidays: tuple[HolidayPeriod, ...]
    adjusted_workdays: tuple[AdjustedWorkday, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = notice_problems(self)
        if problems:
            raise PydanticCustomError(
                "notice_invalid", "{summary}", {"summary": "; ".join(problems), "problems": problems}
            )
        return self

    @property
    def source(self) -> CalendarSource:
        return CalendarSource(
            kind=SourceKind.official_notice,
            year=self.year,
            reference=self.document_number,
            version=str(self.version),
            issued_on=self.issued_on,
        )

    def entries(self) -> dict[date, DayEntry]:
        """Every day the notice names: holidays and 调休 working days, with 元旦 days in December."""
        source = self.source
        days = {
            d: DayEntry(working=False, name=p.name, source=source) for p in self.holidays for d in p.days()
        }
        days.update(
            {a.date: DayEntry(working=True, name=a.holiday, source=source) for a in self.adjusted_workdays}
        )
        return days


def notice_from_dict(raw: Mapping[str, Any]) -> HolidayNotice:
    """A validated notice from the shape above; raises :class:`NoticeInvalid` naming every problem."""
    try:
        return HolidayNotice.model_validate(raw)
    except ValidationError as error:
        raise NoticeInvalid(_problems(error)) from None


def _problems(error: ValidationError) -> list[str]:
    problems: list[str] = []
    for item in error.errors():
        if item["type"] == "notice_invalid":
            problems.extend(item["ctx"]["problems"])
        else:
            where = ".".join(str(part) for part in item["loc"]) or "notice"
            problems.append(f"{where}: {item['msg']}")
    return problems


def load_notices(path: str | Path) -> tuple[HolidayNotice, ...]:
    """The notices in a YAML (``.yaml``/``.yml``) or JSON file: one notice, or a list of them.

    Raises :class:`NoticeInvalid` (naming the file) for unreadable content; ``OSError`` if it cannot be read.
    """
    path = Path(path)
    raw = _parse(path)
    if not isinstance(raw, list):
        return (_from_item(raw, path.name),)
    return tuple(_from_item(item, f"{path.name}[{i}]") for i, item in enumerate(raw))


def _from_item(item: Any, where: str) -> HolidayNotice:
    if not isinstance(item, Mapping):
        raise NoticeInvalid([f"{where}: expected a notice (a mapping of year, document_number, ...)"])
    try:
        return notice_from_dict(item)
    except NoticeInvalid as error:
        raise NoticeInvalid([f"{where}: {problem}" for problem in error.problems]) from None


def load_notice(path: str | Path) -> HolidayNotice:
    """The single notice in ``path`` (see :func:`load_notices`)."""
    notices = load_notices(path)
    if len(notices) != 1:
        raise NoticeInvalid([f"{Path(path).name}: expected one notice, found {len(notices)}"])
    return notices[0]


def _parse(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            return yaml.safe_load(text)
        return json.loads(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise NoticeInvalid([f"{path.name}: not valid {path.suffix.lstrip('.').upper()}: {error}"]) from None
