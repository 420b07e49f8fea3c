"""Expected values worked out by hand: Beijing is UTC+8 with no daylight saving (GB/T 7408, 国家授时中心)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from onematter_clock import AsOfClock, ChinaTime, FixedClock, china_date, in_china
from pydantic import BaseModel, ValidationError


def test_late_evening_utc_is_already_the_next_day_in_china():
    clock = FixedClock(datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC))
    assert clock.today() == date(2026, 12, 1)
    assert in_china(clock.now()).isoformat() == "2026-12-01T04:04:52+08:00"


def test_the_china_day_turns_at_16_00_utc():
    assert china_date(datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert china_date(datetime(2026, 12, 31, 16, 0, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        FixedClock(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="naive"):
        china_date(datetime(2026, 1, 1))


def test_an_as_of_clock_starts_at_its_instant_and_runs_forward():
    start = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)
    clock = AsOfClock(start)
    first, second = clock.now(), clock.now()
    assert start <= first <= second < start + timedelta(minutes=1)


class _Answer(BaseModel):
    at: ChinaTime


def test_an_answer_writes_instants_with_the_china_offset_and_refuses_naive_ones():
    answer = _Answer(at=datetime(2026, 11, 30, 20, 4, 52, 882642, tzinfo=UTC))
    assert answer.model_dump_json() == '{"at":"2026-12-01T04:04:52.882642+08:00"}'
    other_offset = _Answer(at=datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert other_offset.model_dump(mode="json")["at"] == "2026-12-01T22:00:00+08:00"
    with pytest.raises(ValidationError):
        _Answer(at=datetime(2026, 11, 30, 20, 4))


def test_the_schema_of_an_answer_says_date_time():
    assert _Answer.model_json_schema(mode="serialization")["properties"]["at"]["format"] == "date-time"
