"""Public routes of the acceptance service and who may call them.

Object-level checks (is this application yours? is this task your department's?) stay in the service,
which answers 404 for anything that is not the caller's.
"""

from onematter_kit.identity import Role

from onematter_gateway.domain.policy import RouteRule, rule

__all__ = ["RULES"]

S = "acceptance"
_APPLICANTS = (Role.applicant, Role.clerk)
_READERS = (Role.applicant, Role.clerk, Role.officer, Role.supervisor)
_SUPERVISORS = (Role.supervisor, Role.admin)
RULES: list[RouteRule] = [
    rule(
        "POST",
        "/api/v1/applications",
        S,
        *_APPLICANTS,
        summary="Submit an application (一窗受理); needs an Idempotency-Key",
    ),
    rule("GET", "/api/v1/applications", S, *_READERS, summary="Applications visible to the caller"),
    rule(
        "GET",
        "/api/v1/applications/prefill",
        S,
        *_APPLICANTS,
        summary="Form values already known for the caller (减填)",
    ),
    rule(
        "GET",
        "/api/v1/applications/{number}",
        S,
        *_READERS,
        summary="An application with its tasks, explained deadlines and timeline",
    ),
    rule(
        "POST",
        "/api/v1/applications/{number}/supplements",
        S,
        *_APPLICANTS,
        summary="Hand in requested or deferred materials (补正)",
    ),
    rule(
        "POST",
        "/api/v1/applications/{number}/withdraw",
        S,
        *_APPLICANTS,
        summary="Withdraw before completion",
    ),
    rule(
        "POST",
        "/api/v1/applications/{number}/review",
        S,
        Role.applicant,
        summary="Review a completed application (好差评)",
    ),
    rule("GET", "/api/v1/tasks", S, Role.officer, summary="The officer's department's tasks"),
    rule("GET", "/api/v1/tasks/{task_id}", S, Role.officer, summary="One task of the officer's department"),
    rule("POST", "/api/v1/tasks/{task_id}/approve", S, Role.officer, summary="Approve a task"),
    rule(
        "POST", "/api/v1/tasks/{task_id}/reject", S, Role.officer, summary="Reject a task (reason required)"
    ),
    rule(
        "POST",
        "/api/v1/tasks/{task_id}/request-supplement",
        S,
        Role.officer,
        summary="Ask the applicant for a supplement (补正); the task's clock pauses",
    ),
    rule(
        "GET",
        "/api/v1/rectifications",
        S,
        Role.supervisor,
        summary="Rectifications opened by bad reviews (?status=open|closed, ?department=)",
    ),
    rule(
        "POST",
        "/api/v1/rectifications/{rectification_id}/close",
        S,
        Role.supervisor,
        summary="Close a rectification with a note on what was done (整改)",
    ),
    rule(
        "GET",
        "/api/v1/statistics/matters",
        S,
        *_SUPERVISORS,
        summary="Per key matter: applications, on-time rate, working days, materials avoided, bad reviews",
    ),
    rule(
        "GET",
        "/api/v1/statistics/departments",
        S,
        *_SUPERVISORS,
        summary="Per department (over its tasks): the same efficiency figures",
    ),
    rule(
        "GET",
        "/api/v1/admin/calendar/notices",
        S,
        Role.admin,
        summary="The official holiday notices the legal clock uses, with versions",
    ),
    rule(
        "POST",
        "/api/v1/admin/calendar/notices",
        S,
        Role.admin,
        summary="Load an official holiday notice (JSON or YAML); the deadlines it moves are announced",
    ),
]
