from onematter_hotline.domain.deadlines import answer_working_days
from onematter_hotline.domain.model import RequestType


def test_the_answer_terms_are_those_of_issue_24():
    # issue 24: "5/10/15 to answer"
    assert {t.value: answer_working_days(t) for t in RequestType} == {
        "consultation": 5,
        "help": 5,
        "complaint": 10,
        "report": 15,
        "suggestion": 15,
    }
