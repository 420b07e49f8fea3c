"""The rules behind the supervisor statistics: materials avoided, on time, working days, rates, names."""

from __future__ import annotations

from datetime import date

from acceptance_testing import newborn_matter
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.domain.statistics import (
    Figures,
    avoided_materials,
    count_for,
    department_names,
    ending,
    matter_names,
    rate,
    statistics_row,
)
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


def test_a_row_without_figures_has_zeros_and_no_rates():
    row = statistics_row("newborn-birth", "新生儿出生一件事", None, 0)

    assert (row.applications, row.completed, row.on_time_rate, row.average_handling_working_days) == (
        0,
        0,
        None,
        None,
    )


def test_a_row_rates_the_completed_ones_and_rounds_the_average_to_two_places():
    row = statistics_row(
        "nhc", "卫健委", Figures(applications=3, completed=2, on_time=1, average_days=2 / 3), 1
    )

    assert (row.on_time_rate, row.average_handling_working_days, row.open_bad_reviews) == (0.5, 0.67, 1)


def test_matters_and_departments_are_named_as_the_catalog_published_them():
    matter = newborn_matter()

    assert matter_names([matter]) == {"newborn-birth": "新生儿出生一件事"}
    assert department_names([matter])["nhc"] == "国家卫生健康委员会"
