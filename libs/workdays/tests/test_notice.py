"""Loading a State Council notice: the shape, the rules, and an error that names every problem."""

import json
from datetime import date

import pytest
from onematter_workdays import HolidayNotice, NoticeInvalid, load_notice, load_notices, notice_from_dict


def test_a_valid_notice_loads_from_a_dict(notice_2027):
    notice = notice_from_dict(notice_2027())

    assert notice.year == 2027 and notice.version == 1
    assert notice.source.reference == "国办发明电〔2026〕99号"
    assert notice.holidays[1].days()[0] == date(2027, 2, 5)


def test_the_notice_files_load_from_yaml_and_json(fixtures):
    assert load_notice(fixtures / "notices" / "2026.yaml").document_number == "国办发明电〔2025〕7号"
    assert load_notice(fixtures / "notices" / "2025.json").holidays[-1].name == "国庆节、中秋节"


def test_a_file_may_hold_a_list_of_notices(tmp_path, notice_2027, fixtures):
    path = tmp_path / "notices.json"
    path.write_text(json.dumps([notice_2027()]), encoding="utf-8")

    assert [n.year for n in load_notices(path)] == [2027]


def test_the_2019_notice_may_reach_back_into_december_for_new_years_day(fixtures):
    notice = load_notice(fixtures / "notices" / "2019.yaml")

    entries = notice.entries()
    assert not entries[date(2018, 12, 30)].working and entries[date(2018, 12, 29)].working


def test_a_notice_with_many_mistakes_is_refused_with_every_problem_named(notice_2027):
    bad = notice_2027(
        document_number="国办发明电〔2025〕99号",  # issued 2026
        holidays=[
            {"name": "元旦", "first": "2027-01-01", "last": "2027-01-03"},
            {"name": "春节", "first": "2027-02-05", "last": "2027-02-12"},
            {"name": "元宵节", "first": "2027-02-20", "last": "2027-02-20"},  # not a statutory festival
            {"name": "清明节", "first": "2027-04-03", "last": "2027-04-05"},
            {"name": "劳动节", "first": "2027-05-01", "last": "2027-05-05"},
            {"name": "端午节", "first": "2027-05-04", "last": "2027-05-04"},  # overlaps 劳动节, misses 06-09
            {"name": "中秋节", "first": "2027-09-15", "last": "2027-09-15"},
            {"name": "国庆节", "first": "2027-10-01", "last": "2028-01-02"},  # reaches into 2028
        ],
        adjusted_workdays=[
            {"date": "2027-02-22", "holiday": "春节"},  # a Monday
            {"date": "2027-10-02", "holiday": "国庆节"},  # a holiday as well
            {"date": "2027-09-26", "holiday": "国庆"},  # no such period
        ],
    )

    with pytest.raises(NoticeInvalid) as refused:
        notice_from_dict(bad)

    problems = refused.value.problems
    expected = [
        "document_number 国办发明电〔2025〕99号 is of 2025, but issued_on is 2026-11-20",
        "holidays[2]: unknown holiday name '元宵节'",
        "adjusted_workdays[2] 2027-09-26: belongs to '国庆'",
        "holidays[7] 国庆节: 2028-01-02 is outside the notice's year 2027",
        "holidays[4] 劳动节 and holidays[5] 端午节 overlap from 2027-05-04",
        "adjusted_workdays[0] 2027-02-22: a Monday",
        "adjusted_workdays[1] 2027-10-02: is also a holiday (国庆节)",
        "the 端午节 period does not contain 2027-06-09",
    ]
    for sentence in expected:
        assert any(sentence in problem for problem in problems), sentence
    assert len(problems) == len(expected)
    assert str(len(expected)) in str(refused.value)


def test_a_missing_festival_and_a_notice_issued_after_its_year_are_named(notice_2027):
    holidays = [h for h in notice_2027()["holidays"] if h["name"] != "中秋节"]

    with pytest.raises(NoticeInvalid) as refused:
        notice_from_dict(
            notice_2027(holidays=holidays, issued_on="2028-01-05", document_number="国办发明电〔2028〕1号")
        )

    assert refused.value.problems == (
        "issued_on 2028-01-05 is after the year 2027 the notice arranges",
        "no holiday period for 中秋节, a holiday under 《全国年节及纪念日放假办法》第二条",
    )


def test_spring_festival_from_2025_must_include_new_years_eve(notice_2027):
    holidays = [{**h, "first": "2027-02-06"} if h["name"] == "春节" else h for h in notice_2027()["holidays"]]

    with pytest.raises(NoticeInvalid, match="春节 period does not contain 2027-02-05"):
        notice_from_dict(notice_2027(holidays=holidays))


def test_malformed_fields_are_each_named(notice_2027):
    bad = notice_2027(year="二〇二七", issued_on=20261120, version=0, surprise=True)
    bad["holidays"] = [{"name": "元旦", "first": "2027-02-30", "last": "2027-01-01T00:00:00"}]

    with pytest.raises(NoticeInvalid) as refused:
        notice_from_dict(bad)

    named = {problem.split(":")[0] for problem in refused.value.problems}
    assert named == {"year", "issued_on", "version", "surprise", "holidays.0.first", "holidays.0.last"}


def test_a_problem_in_a_file_names_the_file_and_the_list_item(tmp_path, notice_2027):
    path = tmp_path / "notices.json"
    path.write_text(json.dumps([notice_2027(), notice_2027(version=0)]), encoding="utf-8")

    with pytest.raises(NoticeInvalid) as refused:
        load_notices(path)

    assert refused.value.problems == ("notices.json[1]: version: Input should be greater than or equal to 1",)


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "notice-2027.yaml"
    path.write_text("year: [2027\n", encoding="utf-8")

    with pytest.raises(NoticeInvalid, match=r"notice-2027\.yaml: not valid YAML"):
        load_notice(path)


def test_a_notice_round_trips_through_json_for_storage(notice_2027):
    notice = notice_from_dict(notice_2027())

    assert HolidayNotice.model_validate_json(notice.model_dump_json()) == notice
