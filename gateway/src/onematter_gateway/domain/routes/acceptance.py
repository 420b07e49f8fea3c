"""Public routes of the acceptance service and who may call them."""

from onematter_gateway.domain.policy import RouteRule

__all__ = ["RULES"]

RULES: list[RouteRule] = []
