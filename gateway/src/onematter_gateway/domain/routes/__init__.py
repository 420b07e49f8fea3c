"""The policy table, one module per backend service so each service's routes are read in one place."""

from onematter_gateway.domain.policy import RoutePolicy, RouteRule
from onematter_gateway.domain.routes import acceptance, catalog, delegations, hotline, material, notification

__all__ = ["ALL_RULES", "default_policy"]

ALL_RULES: list[RouteRule] = [
    *catalog.RULES,
    *acceptance.RULES,
    *delegations.RULES,
    *material.RULES,
    *notification.RULES,
    *hotline.RULES,
]


def default_policy() -> RoutePolicy:
    return RoutePolicy(ALL_RULES)
