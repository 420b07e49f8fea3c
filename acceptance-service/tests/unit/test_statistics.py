"""The rules behind the supervisor statistics: materials avoided, on time, working days, rates."""

from __future__ import annotations

from datetime import date

from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.statistics import avoided_materials, count_for, ending, rate
from onematter_events.applications import MaterialReference as Ref


def test_a_licence_or_an_earlier_material_avoids_a_hand_in_but_a_new_upload_does_not():
    refs = {
        "hukou_book": Ref(material_type="hukou_book", licence_id="lic-1"),
        "id_card": Ref(material_type="id_card", material_id="m-old"),
        "photo": Ref(material_type="photo", material_id="m-new"),
        "marriage_cert": Ref(material_type="marriage_cert", by_commitment=True),
        "birth_medical_cert": Ref(material_type="birth_medical_cert", deferred=True),
    }

    avoided = avoided_materials(refs, {"m-old"})

    assert avoided == {"hukou_book", "id_card"}
    assert count_for(["hukou_book", "photo", "id_card"], avoided) == 2


def test_handling_time_counts_working_days_across_the_weekend_and_the_national_day_holiday():
    calendar = WorkCalendar()

    friday_to_monday = ending(
        accepted_on=date(2025, 9, 19),
        ended_on=date(2025, 9, 22),
        deadline=date(2025, 9, 22),
        calendar=calendar,
    )
    across_holiday = ending(
        accepted_on=date(2025, 9, 30),
        ended_on=date(2025, 10, 9),
        deadline=date(2025, 10, 8),
        calendar=calendar,
    )

    assert (friday_to_monday.handling_working_days, friday_to_monday.on_time) == (1, True)
    assert (across_holiday.handling_working_days, across_holiday.on_time) == (1, False)


def test_a_rate_of_nothing_is_none_not_zero():
    assert rate(0, 0) is None
    assert rate(1, 3) == 0.3333
