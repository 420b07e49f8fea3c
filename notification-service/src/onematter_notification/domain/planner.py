"""From an event to the messages it causes: pure functions, no I/O.

Each handled event type maps to zero or more :class:`Draft` messages. Approvals (``task.completed`` with
``outcome=approved``) are not messages of their own: they are collected into a digest for the applicant
(see :func:`digest_entry`), so five departments approving within the window make one message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from onematter_events import applications as app
from onematter_events import materials as mat
from onematter_kit.identity import Role

from onematter_notification.domain.recipients import department_inbox, role_inbox, user_inbox

__all__ = ["Draft", "departments_of", "digest_entry", "plan"]


@dataclass(frozen=True)
class Draft:
    """A message to render and store: its recipient, template kind and the template's values."""

    recipient: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    application_id: str | None = None


def _accepted(d: dict[str, Any]) -> list[Draft]:
    deferred = ", ".join(d.get("deferred_materials") or [])
    note = f" 容缺 / deferred: {deferred}, due {d.get('supplement_due')}" if deferred else ""
    params = {**d, "deferred": note}
    return [Draft(user_inbox(d["applicant_id"]), "application.accepted", params, d["application_id"])]


def _supplement(d: dict[str, Any]) -> list[Draft]:
    items = "; ".join(f"{i['material_type']} ({i['reason']})" for i in d.get("items", []))
    return [
        Draft(
            user_inbox(d["applicant_id"]),
            "application.supplement-requested",
            {**d, "items": items},
            d["application_id"],
        )
    ]


def _completed(d: dict[str, Any]) -> list[Draft]:
    if d.get("outcome") == "completed_with_rejections":
        rejections = "; ".join(
            f"{r['item_code']} ({r['department']}): {r['reason']}" for r in d["rejections"]
        )
        return [
            Draft(
                user_inbox(d["applicant_id"]),
                "application.completed_with_rejections",
                {**d, "rejections": rejections},
                d["application_id"],
            )
        ]
    return [Draft(user_inbox(d["applicant_id"]), "application.completed", d, d["application_id"])]


def _licence(d: dict[str, Any]) -> list[Draft]:
    return [Draft(user_inbox(d["holder_id"]), "licence.issued", d, d.get("application_id"))]


def _assigned(d: dict[str, Any]) -> list[Draft]:
    return [
        Draft(
            department_inbox(d["department"]),
            "task.assigned",
            {**d, "item_name": d["item_name_zh"]},
            d["application_id"],
        )
    ]


def _overdue(kind: str) -> Callable[[dict[str, Any]], list[Draft]]:
    def plan_overdue(d: dict[str, Any]) -> list[Draft]:
        return [Draft(department_inbox(d["department"]), kind, d, d["application_id"])]

    return plan_overdue


def _review(d: dict[str, Any]) -> list[Draft]:
    if not d.get("bad"):
        return []
    return [Draft(role_inbox(Role.supervisor), "review.bad", d, d["application_id"])]


_PLANNERS: dict[str, Callable[[dict[str, Any]], list[Draft]]] = {
    app.APPLICATION_ACCEPTED: _accepted,
    app.APPLICATION_SUPPLEMENT_REQUESTED: _supplement,
    app.APPLICATION_COMPLETED: _completed,
    mat.LICENCE_ISSUED: _licence,
    app.TASK_ASSIGNED: _assigned,
    app.TASK_OVERDUE_WARNING: _overdue("task.overdue-warning"),
    app.TASK_OVERDUE: _overdue("task.overdue"),
    app.REVIEW_SUBMITTED: _review,
}


def plan(event_type: str, data: dict[str, Any]) -> list[Draft]:
    """The messages an event causes (none for types that only feed webhooks or digests)."""
    planner = _PLANNERS.get(event_type)
    return planner(data) if planner else []


def digest_entry(event_type: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """The line an approval adds to its application's digest, or None when the event is not an approval."""
    if event_type != app.TASK_COMPLETED or data.get("outcome") != "approved":
        return None
    return {
        "task_id": data["task_id"],
        "item_code": data["item_code"],
        "department": data["department"],
        "licence_number": data.get("licence_number"),
    }


def departments_of(data: dict[str, Any]) -> set[str]:
    """The departments an event concerns — whose webhook subscriptions may receive it."""
    found: set[str] = set()
    for key in ("department", "lead_department", "issuing_department"):
        if isinstance(data.get(key), str):
            found.add(data[key])
    for key in ("tasks", "items", "rejections"):
        found |= {
            entry["department"]
            for entry in data.get(key) or []
            if isinstance(entry, dict) and isinstance(entry.get("department"), str)
        }
    return found
