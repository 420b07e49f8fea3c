"""The admin calendar route's problems: every problem of a refused notice, each pointed at its field."""

from __future__ import annotations

from onematter_acceptance.entrypoints.routes.calendar import NoticeInvalidProblem, NoticeOutdatedProblem
from onematter_workdays import NoticeInvalid, NoticeOutdated


def test_an_invalid_notice_lists_every_problem_with_the_field_it_is_about():
    refused = NoticeInvalid(
        [
            "holidays[7] 端午节: 2028-05-30 is outside the notice's year 2027",
            "document_number '国办发明电' has no 〔year〕 (e.g. 国办发明电〔2024〕12号)",
            "no holiday period for 元旦, a holiday under 《全国年节及纪念日放假办法》第二条",
        ]
    )

    problem = NoticeInvalidProblem(refused)

    assert (problem.status, problem.slug) == (422, "notice-invalid")
    assert problem.extensions["problems"] == list(refused.problems)
    assert [e["field"] for e in problem.extensions["errors"]] == ["holidays[7]", "document_number", "notice"]


def test_an_outdated_notice_is_a_conflict_that_names_the_versions():
    problem = NoticeOutdatedProblem(str(NoticeOutdated(year=2027, loaded_version=1, offered_version=1)))

    assert (problem.status, problem.slug) == (409, "notice-outdated")
    assert "version 1 of the 2027 notice is loaded" in problem.detail
