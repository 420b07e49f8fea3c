"""From an event to the messages it causes: pure functions, no I/O.

Each handled event type maps to zero or more :class:`Draft` messages. Approvals (``task.completed`` with
``outcome=approved``) are not messages of their own: they are collected into a digest for the applicant
(see :func:`digest_entry`), so five departments approving within the window make one message. A rejection
of a single task is told to the applicant at once (``task.rejected``), with the department's reason.

Catalog codes go into the template values as :class:`Ref`, so each recipient reads names in their own
language (see :mod:`onematter_notification.domain.templates`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from onematter_events import applications as app
from onematter_events import deadlines as dl
from onematter_events import delegations as dlg
from onematter_events import duedates as due
from onematter_events import materials as mat
from onematter_kit.clock import in_china
from onematter_kit.identity import Role

from onematter_notification.domain.clock_messages import (
    PROVISIONAL,
    deadline_changed,
    due_date,
    task_deadline_changed,
)
from onematter_notification.domain.drafts import Draft
from onematter_notification.domain.hotline_messages import HOTLINE_PLANNERS
from onematter_notification.domain.recipients import department_inbox, role_inbox, user_inbox
from onematter_notification.domain.templates import Localised, Phrase, Ref

__all__ = ["Draft", "departments_of", "digest_entry", "digest_items", "plan"]


def _ref(kind: str, code: str | None) -> Ref | None:
    return Ref(kind, code) if code else None


#: Punctuation of lists and asides in each language (full-width in Chinese text).
_OPEN, _CLOSE = Localised("（", " ("), Localised("）", ")")
_LIST, _COLON = Localised("；", "; "), Localised("：", ": ")
_ENUM = Localised("、", ", ")
#: What a delegation allows (委托事项), in the reader's language.
_ACTIONS = {"read": Localised("查看办件信息", "read"), "submit": Localised("代为提交申请", "submit")}


def _item_at(entry: dict[str, Any]) -> Phrase:
    """``出生医学证明（区卫健委）`` — an item and the department that handles it."""
    return Phrase.of(Ref("item", entry["item_code"]), _OPEN, Ref("department", entry["department"]), _CLOSE)


def _accepted(d: dict[str, Any]) -> list[Draft]:
    deferred = Phrase.join(_ENUM, (Ref("material", code) for code in d.get("deferred_materials") or []))
    due = d.get("supplement_due")
    note = (
        Localised(
            Phrase.of("容缺受理：", deferred, f"，请于 {due} 前补交。"),
            Phrase.of(" Deferred (容缺): ", deferred, f", due {due}."),
        )
        if deferred.parts
        else ""
    )
    params = {
        **d,
        "matter_code": Ref("matter", d["matter_code"]),
        "deferred": note,
        "provisional": PROVISIONAL if d.get("deadline_provisional") else "",
    }
    return [Draft(user_inbox(d["applicant_id"]), "application.accepted", params, d["application_id"])]


def _supplement(d: dict[str, Any]) -> list[Draft]:
    items = Phrase.join(
        _LIST,
        (
            Phrase.of(Ref("material", i["material_type"]), _OPEN, i["reason"], _CLOSE)
            for i in d.get("items", [])
        ),
    )
    return [
        Draft(
            user_inbox(d["applicant_id"]),
            "application.supplement-requested",
            {**d, "items": items, "due": _due(d.get("due_on"))},
            d["application_id"],
        )
    ]


def _due(due_on: str | None) -> Localised | str:
    """The 补正 due date, bilingual like the other notes here; nothing if the event has none."""
    return Localised(f"。请于 {due_on} 前补正", f"; answer by {due_on}") if due_on else ""


def _completed(d: dict[str, Any]) -> list[Draft]:
    if d.get("outcome") == "completed_with_rejections":
        rejections = Phrase.join(
            _LIST, (Phrase.of(_item_at(r), _COLON, r["reason"]) for r in d["rejections"])
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


def _task_completed(d: dict[str, Any]) -> list[Draft]:
    """A rejection is told at once; approvals become digest entries instead (:func:`digest_entry`)."""
    if d.get("outcome") != "rejected":
        return []
    params = {
        **d,
        "item": Ref("item", d["item_code"]),
        "department": Ref("department", d["department"]),
        "reason": d.get("reason") or "—",
    }
    return [Draft(user_inbox(d["applicant_id"]), "task.rejected", params, d["application_id"])]


def _licence(d: dict[str, Any]) -> list[Draft]:
    params = {**d, "licence_type": Ref("material", d["licence_type"])}
    return [Draft(user_inbox(d["holder_id"]), "licence.issued", params, d.get("application_id"))]


def _licence_ended(d: dict[str, Any]) -> list[Draft]:
    """吊销/注销: the holder reads the licence's and the department's names and the reason, no codes."""
    params = {
        **d,
        "licence_type": Ref("material", d["licence_type"]),
        "department": Ref("department", d["issuing_department"]),
    }
    kind = f"licence.{d['status']}"
    return [Draft(user_inbox(d["holder_id"]), kind, params, d.get("application_id"))]


def _assigned(d: dict[str, Any]) -> list[Draft]:
    return [
        Draft(
            department_inbox(d["department"]),
            "task.assigned",
            {**d, "item_name": d["item_name_zh"]},
            d["application_id"],
        )
    ]


def _delegation_code(d: dict[str, Any]) -> list[Draft]:
    """The one-time code, to the applicant's own inbox only (the clerk never sees it)."""
    params = {
        **d,
        "matters": Phrase.join(_ENUM, (Ref("matter", code) for code in d["matter_codes"])),
        "actions": Phrase.join(_ENUM, (_ACTIONS.get(action, action) for action in d["actions"])),
        # which request the code is for, as the clerk's screen shows it (several may be pending)
        "ref": d["delegation_id"][:8],
        "expires_at": in_china(datetime.fromisoformat(d["expires_at"])).strftime("%Y-%m-%d %H:%M"),
    }
    return [Draft(user_inbox(d["applicant_id"]), "delegation.code-issued", params)]


def _overdue(kind: str) -> Callable[[dict[str, Any]], list[Draft]]:
    def plan_overdue(d: dict[str, Any]) -> list[Draft]:
        params = {**d, "item_code": Ref("item", d["item_code"])}
        return [Draft(department_inbox(d["department"]), kind, params, d["application_id"])]

    return plan_overdue


def _review(d: dict[str, Any]) -> list[Draft]:
    if not d.get("bad"):
        return []
    params = {
        **d,
        "matter_code": _ref("matter", d.get("matter_code")),
        "lead_department": _ref("department", d.get("lead_department")),
    }
    return [Draft(role_inbox(Role.supervisor), "review.bad", params, d["application_id"])]


_PLANNERS: dict[str, Callable[[dict[str, Any]], list[Draft]]] = {
    app.APPLICATION_ACCEPTED: _accepted,
    app.APPLICATION_SUPPLEMENT_REQUESTED: _supplement,
    app.APPLICATION_COMPLETED: _completed,
    app.TASK_COMPLETED: _task_completed,
    mat.LICENCE_ISSUED: _licence,
    mat.LICENCE_REVOKED: _licence_ended,
    mat.LICENCE_CANCELLED: _licence_ended,
    app.TASK_ASSIGNED: _assigned,
    app.TASK_OVERDUE_WARNING: _overdue("task.overdue-warning"),
    app.TASK_OVERDUE: _overdue("task.overdue"),
    app.REVIEW_SUBMITTED: _review,
    due.TASK_SUPPLEMENT_REMINDER: due_date("task.supplement-reminder"),
    due.TASK_SUPPLEMENT_EXPIRED: due_date("task.supplement-expired"),
    dl.APPLICATION_DEADLINE_CHANGED: deadline_changed,
    dl.TASK_DEADLINE_CHANGED: task_deadline_changed,
    dlg.DELEGATION_CODE_ISSUED: _delegation_code,
    **HOTLINE_PLANNERS,
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


def digest_items(entries: list[dict[str, Any]]) -> Phrase:
    """The digest's list of approved items, each with its department."""
    return Phrase.join(_LIST, (_item_at(e) for e in entries))


def departments_of(data: dict[str, Any]) -> set[str]:
    """The departments an event concerns — whose webhook subscriptions may receive it."""
    found: set[str] = set()
    for key in ("department", "lead_department", "issuing_department", "office"):  # office: 12345
        if isinstance(data.get(key), str):
            found.add(data[key])
    for key in ("tasks", "items", "rejections"):
        found |= {
            entry["department"]
            for entry in data.get(key) or []
            if isinstance(entry, dict) and isinstance(entry.get("department"), str)
        }
    return found
