"""Public routes of the 12345 hotline service and who may call them (object checks stay in the service)."""

from onematter_kit.identity import Role

from onematter_gateway.domain.policy import RouteRule, rule

__all__ = ["RULES"]

S = "hotline"
_R = "/api/v1/hotline/requests"
_OPERATOR = (Role.hotline_operator,)
_SEATS = (Role.hotline_operator, Role.hotline_dispatcher)
#: Who takes a request: an operator on a call, a person on the portal, an officer forwarding one.
_INTAKE = (Role.hotline_operator, Role.applicant, Role.officer)
_READERS = (Role.hotline_operator, Role.hotline_dispatcher, Role.supervisor, Role.officer, Role.applicant)
RULES: list[RouteRule] = [
    rule("POST", _R, S, *_INTAKE, summary="Take a request (受理) and get merge proposals (并单)"),
    rule(
        "GET", _R, S, *_SEATS, Role.supervisor, Role.officer, summary="Requests (an officer: their office's)"
    ),
    rule("GET", f"{_R}/{{request_id}}", S, *_READERS, summary="One request (officers see the caller masked)"),
    rule("POST", f"{_R}/{{request_id}}/answer-on-spot", S, *_OPERATOR, summary="一次办结 a consultation"),
    rule("POST", f"{_R}/{{request_id}}/dispatch", S, *_SEATS, summary="派单, or 改派 after an objection"),
    rule("POST", f"{_R}/{{request_id}}/objection", S, Role.officer, summary="退单 by the office"),
    rule("POST", f"{_R}/{{request_id}}/answer", S, Role.officer, summary="答复 by the office"),
    rule("POST", f"{_R}/{{request_id}}/callback", S, *_OPERATOR, summary="回访 with a 好差评 level"),
    rule("POST", f"{_R}/{{request_id}}/merge", S, *_SEATS, summary="并单 into another open request"),
    rule("GET", "/api/v1/hotline/knowledge", S, *_SEATS, summary="Search the knowledge base (知识库)"),
    rule("POST", "/api/v1/hotline/knowledge", S, *_SEATS, summary="Add an operator-written entry"),
    rule(
        "PUT",
        "/api/v1/hotline/dispatch-rules",
        S,
        Role.hotline_dispatcher,
        Role.admin,
        summary="Set an office in the dispatch catalogue (派单目录)",
    ),
]
