"""Messages of the legal clock (issue 15): a deadline moved by an official holiday notice, and the 补正 /
容缺 due dates' reminders and expiries. Pure functions from an event's data to :class:`Draft` messages,
split from :mod:`.planner`, which maps the event types to them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from onematter_notification.domain.drafts import Draft
from onematter_notification.domain.recipients import department_inbox, user_inbox
from onematter_notification.domain.templates import Localised, Phrase, Ref

__all__ = ["PROVISIONAL", "deadline_changed", "due_date", "task_deadline_changed"]

#: Said when the deadline crossed a year the State Council has not yet arranged (issue 15): the date comes
#: from the statutory holidays only and may move when the notice is published.
PROVISIONAL = Localised(
    "（暂定：按法定节假日计算，国务院放假安排公布后可能调整）",
    " (provisional until the State Council's holiday notice for the year is published)",
)


def _moved_by(d: dict[str, Any]) -> dict[str, Any]:
    """The notice that moved a deadline, as its words: the year and the document number (文号)."""
    notice = d.get("notice") or {}
    return {"year": notice.get("year"), "document_number": notice.get("document_number")}


def deadline_changed(d: dict[str, Any]) -> list[Draft]:
    """An official holiday notice moved the application's completion date: the applicant is told why."""
    params = {
        **d,
        **_moved_by(d),
        "matter_code": Ref("matter", d["matter_code"]),
        "provisional": PROVISIONAL if d.get("deadline_provisional") else "",
    }
    return [Draft(user_inbox(d["applicant_id"]), "application.deadline-changed", params, d["application_id"])]


def task_deadline_changed(d: dict[str, Any]) -> list[Draft]:
    params = {**d, **_moved_by(d), "item_code": Ref("item", d["item_code"])}
    return [Draft(department_inbox(d["department"]), "task.deadline-changed", params, d["application_id"])]


_CONSEQUENCES = {
    "not_accepted": ("不予受理", "is not accepted (不予受理)"),
    "terminated": ("终止办理", "is terminated (终止办理)"),
}
_WHAT_ZH = {"supplement": "补正材料", "deferred": "容缺后补材料"}


def due_date(kind: str) -> Callable[[dict[str, Any]], list[Draft]]:
    """A 补正 / 容缺 reminder or expiry, told to the applicant in words (names, no codes)."""

    def plan_due_date(d: dict[str, Any]) -> list[Draft]:
        consequence_zh, consequence_en = _CONSEQUENCES[d["consequence"]]
        basis = (d.get("basis") or "").strip()
        params = {
            **d,
            "item": Ref("item", d["item_code"]),
            "department": Ref("department", d["department"]),
            "materials": Phrase.join(", ", (Ref("material", m) for m in d.get("materials") or [])),
            "what_zh": _WHAT_ZH.get(d.get("due_for", ""), "材料"),
            "consequence_zh": consequence_zh,
            "consequence_en": consequence_en,
            "basis_zh": f"依据{basis}" if basis else "按事项规定",
            "basis_en": f"under {basis}" if basis else "as the item provides",
        }
        return [Draft(user_inbox(d["applicant_id"]), kind, params, d["application_id"])]

    return plan_due_date
