"""Messages of the 补正 / 容缺 due dates (issue 15), as ``(subject, body)`` per language.

Kept apart from :mod:`onematter_notification.domain.templates` (which loads them into ``TEMPLATES`` and
checks them like every other template) so that table stays readable. Words only, no codes: the planner
passes the consequence, the kind of material and the basis in each language (``*_zh`` / ``*_en``), and
items, departments and materials as names.
"""

from __future__ import annotations

__all__ = ["DUE_TEMPLATES"]

DUE_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "task.supplement-reminder": {
        "zh-CN": (
            "请按期补交材料：{acceptance_number}",
            "办件 {acceptance_number} 中「{item}」所需的{what_zh}（{materials}）请于 {due_on} 前提交，"
            "逾期将{consequence_zh}。",
        ),
        "en": (
            "Materials due soon: {acceptance_number}",
            "Please hand in {materials} for {item} of application {acceptance_number} by {due_on}; "
            "after that the item {consequence_en}.",
        ),
    },
    "task.supplement-expired": {
        "zh-CN": (
            "事项{consequence_zh}：{acceptance_number}",
            "办件 {acceptance_number} 中「{item}」（{department}）所需的{what_zh}（{materials}）"
            "未在 {due_on} 前提交，{basis_zh}，{consequence_zh}。",
        ),
        "en": (
            "Item ended: {acceptance_number}",
            "{materials} for {item} ({department}) of application {acceptance_number} were not handed in by "
            "{due_on}; {basis_en}, the item {consequence_en}.",
        ),
    },
}
