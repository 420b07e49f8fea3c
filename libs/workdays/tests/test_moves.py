"""Loading the official notice for a year moves the provisional deadlines that reach into it."""

from datetime import date

from onematter_workdays import WorkCalendar, deadline_move, notice_from_dict


def test_loading_the_2027_notice_moves_a_provisional_deadline_and_says_so(notice_2027):
    before = WorkCalendar()
    after = before.with_notice(notice_from_dict(notice_2027()))

    # accepted Fri 2027-01-29, 10 working days.
    # provisional: Feb 1-4 = 1..4, [除夕 5, 初一 6, 初二 7, 初三 8, 补假 9, 10], Thu 11 = 5, Fri 12 = 6,
    #   Mon 15..Thu 18 = 7..10 → 02-18
    # notice: Feb 1-4 = 1..4, [05..12 off], Mon 15..Fri 19 = 5..9, Sat 20 (调休) = 10 → 02-20
    move = deadline_move(before, after, start=date(2027, 1, 29), working_days=10)

    assert move.before.due == date(2027, 2, 18) and move.before.provisional
    assert move.after.due == date(2027, 2, 20) and not move.after.provisional
    assert move.moved and move.changed
    explained = move.explain()
    assert explained["from"] == "2027-02-18" and explained["to"] == "2027-02-20"
    assert explained["calendar_after"][0]["reference"] == "国办发明电〔2026〕99号"
    assert explained["calendar_before"][0]["kind"] == "provisional_statutory"


def test_a_deadline_the_notice_confirms_only_stops_being_provisional(notice_2027):
    before = WorkCalendar()
    after = before.with_notice(notice_from_dict(notice_2027()))

    # Mon 2026-12-28 + 5: 29, 30, 31, [01-01..03 off in both], Mon 01-04, Tue 01-05
    move = deadline_move(before, after, start=date(2026, 12, 28), working_days=5)

    assert move.before.due == move.after.due == date(2027, 1, 5)
    assert not move.moved and move.changed and not move.after.provisional


def test_a_deadline_touches_the_years_its_days_fall_in():
    deadline = WorkCalendar().deadline(start=date(2026, 12, 28), working_days=5)

    assert deadline.touches(2027) and deadline.touches(2026)
    assert not deadline.touches(2028) and not deadline.touches(2025)
    december = WorkCalendar().deadline(start=date(2026, 12, 1), working_days=3)
    assert december.touches(2027)  # a 2027 notice may arrange 元旦 days in December 2026
