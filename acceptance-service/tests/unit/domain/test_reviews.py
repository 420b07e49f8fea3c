"""好差评 and the rectification a bad review opens."""

from datetime import UTC, date, datetime

import pytest
from onematter_acceptance.domain.errors import NotPossibleNow
from onematter_acceptance.domain.reviews import Rectification, Review, is_bad, level_label

NOW = datetime(2025, 10, 9, 2, tzinfo=UTC)


def test_the_two_lowest_review_levels_are_bad():
    assert [is_bad(n) for n in range(1, 6)] == [True, True, False, False, False]
    assert level_label(5) == "非常满意" and level_label(1) == "非常不满意"


def test_a_rectification_is_closed_once_and_the_close_goes_on_the_applications_timeline():
    review = Review("a-1", "zhangsan", 1, "非常不满意", "排队太久", True, NOW)
    rectification = Rectification.for_review(
        review, acceptance_number="YJS-1", department="nhc", due=date(2025, 10, 30)
    )

    entry = rectification.close(by="supervisor", note="窗口已增加人手", now=NOW)

    assert (rectification.status, rectification.closed_by, rectification.closed_at) == (
        "closed",
        "supervisor",
        NOW,
    )
    assert (entry.application_id, entry.kind, entry.detail["note"]) == (
        "a-1",
        "rectification_closed",
        "窗口已增加人手",
    )
    with pytest.raises(NotPossibleNow):
        rectification.close(by="supervisor", note="again", now=NOW)
