"""Every date and time the front-end shows is Beijing time, whatever the browser's own zone (issue 15).

The browser runs in New York (UTC−5 in winter). Expected values come from issue 15's example, worked
by hand: 2026-11-30T20:04:52Z is 2026-12-01 04:04 in Beijing (UTC+8), while New York's clocks show
2026-11-30 15:04.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_browser_in_new_york_shows_dates_and_times_in_beijing_time(portal) -> None:  # type: ignore[no-untyped-def]
    page = portal.open(None, timezone_id="America/New_York")
    page.clock.set_fixed_time("2026-11-30T20:04:52Z")
    page.reload()
    expect(page.locator("#login-user")).to_be_visible()
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/New_York"

    def shown(value: str) -> str:
        return str(page.evaluate("(value) => import('/js/ui.js').then((ui) => ui.fmtDate(value))", value))

    for instant in ("2026-11-30T20:04:52Z", "2026-12-01T04:04:52+08:00", "2026-11-30T20:04:52.882642"):
        assert shown(instant) == "2026年12月1日 04:04", instant  # the last: an older answer's naive UTC
    assert shown("2026-12-29") == "2026年12月29日"  # a date (a deadline) stays the date it is in China
    today = page.evaluate("import('/js/ui.js').then((ui) => [ui.chinaToday(), ui.daysUntil('2026-12-29')])")
    assert today == ["2026-12-01", 28]  # it is already 1 December in China: 28 calendar days to the 29th
    assert portal.errors == []
