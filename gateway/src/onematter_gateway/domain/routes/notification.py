"""Public routes of the notification service and who may call them."""

from onematter_kit.identity import Role

from onematter_gateway.domain.policy import RouteRule, rule

__all__ = ["RULES"]

S = "notification"
_ANY_USER = (Role.applicant, Role.clerk, Role.officer, Role.supervisor, Role.admin)
_OPERATORS = (Role.officer, Role.admin)
RULES: list[RouteRule] = [
    rule("GET", "/api/v1/notifications", S, *_ANY_USER, summary="The caller's messages, newest first"),
    rule(
        "GET",
        "/api/v1/notifications/stream",
        S,
        *_ANY_USER,
        stream=True,
        summary="Server-Sent Events of the caller's new messages (Last-Event-ID resumes)",
    ),
    rule("POST", "/api/v1/notifications/{message_id}/read", S, *_ANY_USER, summary="Mark a message read"),
    rule("GET", "/api/v1/notifications/profile", S, *_ANY_USER, summary="The caller's notification profile"),
    rule("PUT", "/api/v1/notifications/profile", S, *_ANY_USER, summary="Set email, phone and language"),
    rule("POST", "/api/v1/subscriptions", S, *_OPERATORS, summary="Subscribe a webhook to events"),
    rule("GET", "/api/v1/subscriptions", S, *_OPERATORS, summary="Webhook subscriptions"),
    rule("GET", "/api/v1/subscriptions/{subscription_id}", S, *_OPERATORS, summary="One subscription"),
    rule("DELETE", "/api/v1/subscriptions/{subscription_id}", S, *_OPERATORS, summary="Stop a subscription"),
    rule(
        "GET",
        "/api/v1/subscriptions/{subscription_id}/deliveries",
        S,
        *_OPERATORS,
        summary="A subscription's deliveries and their attempts",
    ),
]
