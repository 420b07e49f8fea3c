"""Public routes of the matter-catalog service and who may call them."""

from onematter_gateway.domain.policy import ANYONE, RouteRule, rule
from onematter_kit.identity import Role

__all__ = ["RULES"]

S = "matter-catalog"
RULES: list[RouteRule] = [
    rule("GET", "/api/v1/matters", S, *ANYONE, summary="List published key matters"),
    rule("GET", "/api/v1/matters/{code}", S, *ANYONE, summary="A key matter's current published version"),
    rule("GET", "/api/v1/departments", S, *ANYONE, summary="Departments"),
    rule("GET", "/api/v1/departments/{code}", S, *ANYONE, summary="One department"),
    rule("POST", "/api/v1/admin/matters", S, Role.admin, summary="Create a key matter draft"),
]
