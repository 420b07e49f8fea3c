"""Messages of the 12345 hotline's events (issue 24): the answer to every merged caller (并单), the
dispatch to the office's shared inbox, the escalation (督办) to the supervisor and the office.

Kept in a module of its own (templates and planners), so the hotline's wording is read in one place;
:mod:`onematter_notification.domain.templates` loads ``HOTLINE_TEMPLATES`` and checks them like every
other template, :mod:`onematter_notification.domain.planner` routes the event types here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from onematter_events import hotline
from onematter_kit.identity import Role

from onematter_notification.domain.drafts import Draft
from onematter_notification.domain.phrases import Ref
from onematter_notification.domain.recipients import department_inbox, role_inbox, user_inbox

__all__ = ["HOTLINE_PLANNERS", "HOTLINE_TEMPLATES"]

HOTLINE_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "hotline.answered": {
        "zh-CN": ("您的12345诉求已答复：{ref}", "您反映的诉求（编号 {ref}）已有答复：{answer}"),
        "en": ("Your 12345 request was answered: {ref}", "Your request {ref} has an answer: {answer}"),
    },
    "hotline.dispatched": {
        "zh-CN": (
            "12345派单：{ref}",
            "12345诉求 {ref}（行政区划 {region}）已派至本单位，请于 {due_on} 前答复：{text}",
        ),
        "en": (
            "12345 request dispatched: {ref}",
            "Request {ref} (region {region}) is yours; answer by {due_on}: {text}",
        ),
    },
    "hotline.escalated": {
        "zh-CN": (
            "12345督办：{ref}",
            "12345诉求 {ref} 已超过答复期限 {due_on}（承办单位 {office}），现予督办。",
        ),
        "en": (
            "12345 request overdue: {ref}",
            "Request {ref} passed its due date {due_on} (office {office}).",
        ),
    },
}


def _ref(d: dict[str, Any]) -> dict[str, Any]:
    # the short reference an operator reads out on the phone, like the delegation code's; the office by
    # its name in the reader's language (words, not codes: issue 17)
    office = Ref("department", d["office"]) if d.get("office") else None
    return {**d, "ref": str(d["request_id"])[:8], "office": office}


def _answered(d: dict[str, Any]) -> list[Draft]:
    return [Draft(user_inbox(subject), "hotline.answered", _ref(d)) for subject in d.get("recipients", [])]


def _dispatched(d: dict[str, Any]) -> list[Draft]:
    return [Draft(department_inbox(d["office"]), "hotline.dispatched", _ref(d))]


def _escalated(d: dict[str, Any]) -> list[Draft]:
    params = _ref(d)
    return [
        Draft(role_inbox(Role.supervisor), "hotline.escalated", params),
        Draft(department_inbox(d["office"]), "hotline.escalated", params),
    ]


HOTLINE_PLANNERS: dict[str, Callable[[dict[str, Any]], list[Draft]]] = {
    hotline.REQUEST_ANSWERED: _answered,
    hotline.REQUEST_DISPATCHED: _dispatched,
    hotline.REQUEST_ESCALATED: _escalated,
}
