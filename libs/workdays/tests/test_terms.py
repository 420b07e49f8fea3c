"""The terms of a time limit: pauses as acceptance stores them, and the terms that are refused."""

from datetime import date

import pytest
from onematter_workdays import Extension, NonWorkingDayRule, Pause, WorkCalendar, pauses_from_json


def test_pauses_read_from_their_stored_json():
    assert pauses_from_json(
        [{"from": "2025-10-09", "to": None}, {"from": "2025-10-01", "to": "2025-10-02"}]
    ) == [
        Pause(date(2025, 10, 9)),
        Pause(date(2025, 10, 1), date(2025, 10, 2)),
    ]


def test_bad_terms_are_refused():
    with pytest.raises(ValueError, match="negative"):
        WorkCalendar().deadline(start=date(2025, 3, 10), working_days=-1)
    with pytest.raises(ValueError, match="before it starts"):
        Pause(date(2025, 3, 10), date(2025, 3, 9))
    with pytest.raises(ValueError, match="at least one"):
        Extension(working_days=0, granted_on=date(2025, 3, 10))


def test_the_default_rule_counts_from_the_next_working_day():
    assert NonWorkingDayRule.DEFAULT is NonWorkingDayRule.count_from_next_working_day
    assert "第二百零一条" in NonWorkingDayRule.DEFAULT.description
