"""The route policy: one readable table of which roles may call which public route.

Everything not in the table is 404 at the gateway. Object-level checks (is this application yours?) stay
in the services; the gateway only decides whether a role may call a route at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from onematter_kit.identity import Role

__all__ = ["ANYONE", "MatchedRoute", "RoutePolicy", "RouteRule", "rule"]

#: A route that needs no token at all (published catalog, licence verification, health).
ANYONE: frozenset[Role] = frozenset()
_PARAM = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class RouteRule:
    method: str
    path: str
    service: str
    roles: frozenset[Role]
    #: Uploads get a larger body limit than the other routes.
    upload: bool = False
    #: Long-lived responses (Server-Sent Events) are exempt from the request timeout.
    stream: bool = False
    summary: str = ""
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = _PARAM.sub(
            lambda m: f"(?P<{m.group(1)}>[^/]+)", re.escape(self.path).replace(r"\{", "{").replace(r"\}", "}")
        )
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))

    @property
    def public(self) -> bool:
        return not self.roles


def rule(
    method: str,
    path: str,
    service: str,
    *roles: Role,
    upload: bool = False,
    stream: bool = False,
    summary: str = "",
) -> RouteRule:
    return RouteRule(
        method.upper(), path, service, frozenset(roles), upload=upload, stream=stream, summary=summary
    )


@dataclass(frozen=True)
class MatchedRoute:
    rule: RouteRule | None
    #: The methods the table allows on the path (for a 405's ``Allow``); empty: no such path (404).
    allowed: tuple[str, ...] = ()

    @property
    def path_exists(self) -> bool:
        return bool(self.allowed)


class RoutePolicy:
    def __init__(self, rules: list[RouteRule]) -> None:
        self.rules = rules
        # Literal paths before templated ones, so /applications/prefill beats /applications/{no}.
        ordered = sorted(rules, key=lambda r: r.path.count("{"))
        # A parameter matches one segment, so only rules with as many segments can match a path: this
        # runs on every request, and the whole table is dozens of regular expressions.
        self._by_segments: dict[int, list[RouteRule]] = {}
        for candidate in ordered:
            self._by_segments.setdefault(candidate.path.count("/"), []).append(candidate)

    def match(self, method: str, path: str) -> MatchedRoute:
        allowed: list[str] = []
        for candidate in self._by_segments.get(path.count("/"), ()):
            if candidate.pattern.match(path):
                if candidate.method == method or (method == "HEAD" and candidate.method == "GET"):
                    return MatchedRoute(candidate, (candidate.method,))
                allowed.append(candidate.method)
        return MatchedRoute(None, tuple(allowed))
