"""How long an office has to answer a request, in working days (工作日) per request type.

Source: issue 24 ("e.g. 1 working day to contact the caller, 5/10/15 to answer"), in line with the
practice of local 12345 rules (接诉即办): a consultation or a help request within 5, a complaint within 10,
a report or a suggestion within 15. A deployment with other local rules changes this table.
"""

from __future__ import annotations

from onematter_hotline.domain.model import RequestType

__all__ = ["ANSWER_WORKING_DAYS", "CONTACT_WORKING_DAYS", "answer_working_days"]

#: The office contacts the caller within this many working days of the dispatch.
CONTACT_WORKING_DAYS = 1
ANSWER_WORKING_DAYS: dict[RequestType, int] = {
    RequestType.consultation: 5,
    RequestType.help: 5,
    RequestType.complaint: 10,
    RequestType.report: 15,
    RequestType.suggestion: 15,
}


def answer_working_days(request_type: RequestType) -> int:
    return ANSWER_WORKING_DAYS[request_type]
