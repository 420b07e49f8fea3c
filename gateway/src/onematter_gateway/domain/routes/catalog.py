"""Public routes of the matter-catalog service and who may call them.

Reads of published data are open to anyone (no token); every write is for ``admin`` only.
``GET /api/v1/departments/{code}`` must stay public: the gateway's dev login checks officers against it.
"""

from onematter_kit.identity import Role

from onematter_gateway.domain.policy import ANYONE, RouteRule, rule

__all__ = ["RULES"]

S = "matter-catalog"
A = Role.admin
RULES: list[RouteRule] = [
    rule("GET", "/api/v1/matters", S, *ANYONE, summary="List published key matters"),
    rule("GET", "/api/v1/stages", S, *ANYONE, summary="Life and business stages to browse matters by"),
    rule("GET", "/api/v1/matters/{code}", S, *ANYONE, summary="A key matter's current published version"),
    rule("GET", "/api/v1/matters/{code}/versions/{number}", S, *ANYONE, summary="One published version"),
    rule("GET", "/api/v1/matters/{code}/guide", S, *ANYONE, summary="The one-time guide (JSON or HTML)"),
    rule("GET", "/api/v1/departments", S, *ANYONE, summary="Departments"),
    rule("GET", "/api/v1/departments/{code}", S, *ANYONE, summary="One department"),
    rule("GET", "/api/v1/material-types", S, *ANYONE, summary="Material types"),
    rule("GET", "/api/v1/items/{code}", S, *ANYONE, summary="A service item's published definition"),
    rule("POST", "/api/v1/admin/matters", S, A, summary="Create a key matter draft"),
    rule("PUT", "/api/v1/admin/matters/{code}", S, A, summary="Replace a key matter's draft"),
    rule("GET", "/api/v1/admin/matters/{code}/draft", S, A, summary="A draft and its preview"),
    rule("POST", "/api/v1/admin/matters/{code}/publish", S, A, summary="Publish the draft as a new version"),
    rule("POST", "/api/v1/admin/matters/{code}/retire", S, A, summary="Retire a key matter"),
]
