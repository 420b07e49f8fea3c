from __future__ import annotations

from onematter_gateway.domain.policy import RoutePolicy, rule
from onematter_gateway.domain.routes import ALL_RULES
from onematter_kit.identity import Role

POLICY = RoutePolicy(
    [
        rule("GET", "/api/v1/applications/{number}", "acceptance", Role.applicant),
        rule("GET", "/api/v1/applications/prefill", "acceptance", Role.applicant),
        rule("POST", "/api/v1/applications", "acceptance", Role.applicant),
        rule("GET", "/api/v1/matters", "matter-catalog"),
    ]
)


def test_a_literal_path_wins_over_a_template() -> None:
    assert POLICY.match("GET", "/api/v1/applications/prefill").rule.path == "/api/v1/applications/prefill"
    assert POLICY.match("GET", "/api/v1/applications/A-1").rule.path == "/api/v1/applications/{number}"


def test_a_path_not_in_the_table_matches_nothing() -> None:
    for path in ("/api/v1/applicationsX", "/api/v1/applications/a/b", "/api/v1/admin", "/api/v1/matters/"):
        matched = POLICY.match("GET", path)
        assert matched.rule is None and not matched.path_exists, path


def test_a_known_path_with_another_method_is_told_apart_from_an_unknown_path() -> None:
    matched = POLICY.match("DELETE", "/api/v1/applications")
    assert matched.rule is None and matched.path_exists


def test_head_is_allowed_where_get_is() -> None:
    assert POLICY.match("HEAD", "/api/v1/matters").rule is not None


def test_a_rule_without_roles_is_public() -> None:
    assert POLICY.match("GET", "/api/v1/matters").rule.public
    assert not POLICY.match("POST", "/api/v1/applications").rule.public


def test_the_services_tables_hold_only_public_api_paths_without_duplicates() -> None:
    keys = [(r.method, r.path) for r in ALL_RULES]
    assert len(keys) == len(set(keys))
    assert all(r.path.startswith("/api/v1/") for r in ALL_RULES)
    assert all(Role.service not in r.roles for r in ALL_RULES)
