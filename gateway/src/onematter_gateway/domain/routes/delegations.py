"""Public routes of delegations (委托, 帮办代办), served by the acceptance service, and who may call them.

Object-level checks (is this delegation granted by you, or to you?) stay in the service, which answers
404 for any other delegation.
"""

from onematter_kit.identity import Role

from onematter_gateway.domain.policy import RouteRule, rule

__all__ = ["RULES"]

S = "acceptance"
_PATH = "/api/v1/delegations"
RULES: list[RouteRule] = [
    rule(
        "GET",
        _PATH,
        S,
        Role.applicant,
        Role.clerk,
        summary="Delegations the caller granted (applicant) or was granted (clerk, agent)",
    ),
    rule(
        "GET",
        f"{_PATH}/{{delegation_id}}",
        S,
        Role.applicant,
        Role.clerk,
        summary="One delegation, for its applicant or its delegate",
    ),
    rule(
        "POST",
        _PATH,
        S,
        Role.applicant,
        summary="Grant a delegation (matters, read/submit, valid until) to a clerk or an agent",
    ),
    rule(
        "POST",
        f"{_PATH}/requests",
        S,
        Role.clerk,
        summary="At the window: ask an applicant for a delegation; a one-time code goes to their inbox",
    ),
    rule(
        "POST",
        f"{_PATH}/{{delegation_id}}/confirm",
        S,
        Role.clerk,
        summary="Enter the one-time code the applicant read from their inbox",
    ),
    rule(
        "POST",
        f"{_PATH}/in-person",
        S,
        Role.clerk,
        summary="帮办 without a phone: record an in-person identity check with a witness clerk",
    ),
    rule(
        "POST",
        f"{_PATH}/{{delegation_id}}/revoke",
        S,
        Role.applicant,
        summary="Revoke a delegation the caller granted",
    ),
]
