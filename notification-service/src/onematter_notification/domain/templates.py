"""Message templates per kind and language (zh-CN and en), rendered with safe substitution.

Templates are ``str.format``-like, but only plain ``{name}`` placeholders are substituted: attribute and
index access (``{x.__class__}``) are refused when the table is loaded, and a missing value renders as an
empty string, so a template can never leak an object or fail on an event with an optional field unset.

Catalog codes (matters, items, materials, departments) are passed as :class:`Ref` (or inside a
:class:`Phrase`) and rendered as their name in the reader's language from a :data:`Names` lookup — the
code itself when the name is unknown (a matter not yet published to this service). Text that a planner
adds only sometimes (a note on deferred materials, a due date) is a :class:`Localised` value, so a zh-CN
message stays Chinese and an English one English (no bilingual "a / b" notes).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from onematter_notification.domain.due_templates import DUE_TEMPLATES
from onematter_notification.domain.hotline_messages import HOTLINE_TEMPLATES
from onematter_notification.domain.phrases import DEFAULT_LOCALE, Localised, Names, Phrase, Ref, refs_in, text

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "TEMPLATES",
    "Localised",
    "Names",
    "Phrase",
    "Ref",
    "Rendered",
    "Template",
    "normalise_locale",
    "refs_in",
    "render",
]

LOCALES = ("zh-CN", "en")


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    locale: str


_T = Template
#: kind → locale → template. Kinds are the contract between the planner and this table.
TEMPLATES: dict[str, dict[str, Template]] = {
    "application.accepted": {
        "zh-CN": _T(
            "您的申请已受理：{acceptance_number}",
            "您申请的「{matter_code}」已受理，受理编号 {acceptance_number}，"
            "承诺办结时限 {deadline}{provisional}。{deferred}",
        ),
        "en": _T(
            "Application accepted: {acceptance_number}",
            "Your application for {matter_code} was accepted with acceptance number {acceptance_number}. "
            "It will be completed by {deadline}{provisional}.{deferred}",
        ),
    },
    "application.supplement-requested": {
        "zh-CN": _T(
            "请补正材料：{acceptance_number}", "办件 {acceptance_number} 需要补正以下材料：{items}{due}"
        ),
        "en": _T(
            "Supplement needed: {acceptance_number}",
            "Application {acceptance_number} needs these materials: {items}{due}",
        ),
    },
    "application.deadline-changed": {
        "zh-CN": _T(
            "办结期限调整：{acceptance_number}",
            "因国务院办公厅{year}年节假日安排通知（{document_number}），您的申请「{matter_code}」（受理编号"
            " {acceptance_number}）的承诺办结期限由 {previous_deadline} 调整为 {deadline}{provisional}。",
        ),
        "en": _T(
            "Completion date changed: {acceptance_number}",
            "Because of the State Council's holiday notice for {year} ({document_number}), your"
            " application for {matter_code} ({acceptance_number}) is due {deadline}{provisional},"
            " not {previous_deadline}.",
        ),
    },
    "application.completed": {
        "zh-CN": _T(
            "办件已办结：{acceptance_number}", "办件 {acceptance_number} 已全部办结，全部事项均已通过。"
        ),
        "en": _T(
            "Application completed: {acceptance_number}",
            "Application {acceptance_number} is complete; every item was approved.",
        ),
    },
    "application.completed_with_rejections": {
        "zh-CN": _T(
            "办件已办结（部分未通过）：{acceptance_number}",
            "办件 {acceptance_number} 已办结，以下事项未通过：{rejections}",
        ),
        "en": _T(
            "Application completed with rejections: {acceptance_number}",
            "Application {acceptance_number} is complete; these items were rejected: {rejections}",
        ),
    },
    "approvals.digest": {
        "zh-CN": _T(
            "办理进展：{acceptance_number} 有 {count} 个事项已通过",
            "办件 {acceptance_number} 以下事项已通过：{items}",
        ),
        "en": _T(
            "Progress: {count} items approved for {acceptance_number}",
            "These items of application {acceptance_number} were approved: {items}",
        ),
    },
    "licence.issued": {
        "zh-CN": _T(
            "电子证照已签发：{licence_type}", "您的电子证照「{licence_type}」已签发，证照编号 {number}。"
        ),
        "en": _T(
            "Licence issued: {licence_type}", "Your electronic licence {licence_type} was issued: {number}."
        ),
    },
    "licence.revoked": {
        "zh-CN": _T(
            "电子证照已被吊销：{licence_type}",
            "您的电子证照「{licence_type}」（证照编号 {number}）已被{department}吊销，原因：{reason}。",
        ),
        "en": _T(
            "Licence revoked: {licence_type}",
            "{department} revoked your licence {licence_type} ({number}): {reason}.",
        ),
    },
    "licence.cancelled": {
        "zh-CN": _T(
            "电子证照已注销：{licence_type}",
            "您的电子证照「{licence_type}」（证照编号 {number}）已由{department}注销，原因：{reason}。",
        ),
        "en": _T(
            "Licence cancelled: {licence_type}",
            "{department} cancelled your licence {licence_type} ({number}): {reason}.",
        ),
    },
    "delegation.code-issued": {
        "zh-CN": _T(
            "帮办代办确认码（委托 {ref}）",
            "窗口工作人员 {delegate_id} 申请为您办理「{matters}」（{actions}）。如由您本人在窗口当面办理，"
            "请将确认码 {code} 告知工作人员，{expires_at} 前有效。如非本人申请，请勿告知任何人。",
        ),
        "en": _T(
            "Confirmation code for assisted handling (delegation {ref})",
            "Window clerk {delegate_id} asks to act for you on {matters} ({actions}). "
            "If you are at the window, tell the clerk the code {code}, valid until {expires_at}. "
            "If you did not ask for this, tell no one.",
        ),
    },
    "task.rejected": {
        "zh-CN": _T(
            "事项未通过：{acceptance_number}",
            "办件 {acceptance_number} 中的事项「{item}」未通过{department}的审核，原因：{reason}。",
        ),
        "en": _T(
            "Item rejected: {acceptance_number}",
            "The item {item} of application {acceptance_number} was rejected by {department}: {reason}.",
        ),
    },
    "task.assigned": {
        "zh-CN": _T(
            "新办件任务：{acceptance_number}",
            "办件 {acceptance_number} 中的事项「{item_name}」交由本部门办理，办理时限 {deadline}。",
        ),
        "en": _T(
            "New task: {acceptance_number}", "A new task for {item_name} ({item_code}) is due {deadline}."
        ),
    },
    "task.deadline-changed": {
        "zh-CN": _T(
            "办理时限调整：{acceptance_number}",
            "因{year}年节假日安排通知（{document_number}），事项「{item_code}」的办理时限调整为 {deadline}。",
        ),
        "en": _T("Deadline changed: {acceptance_number}", "The task for {item_code} is now due {deadline}."),
    },
    "task.overdue-warning": {
        "zh-CN": _T(
            "即将超期：{acceptance_number}", "事项「{item_code}」的任务将于 {deadline} 到期，请尽快办理。"
        ),
        "en": _T("Due soon: {acceptance_number}", "The task for {item_code} is due on {deadline}."),
    },
    "task.overdue": {
        "zh-CN": _T("已超期：{acceptance_number}", "事项「{item_code}」的任务已超过办理时限 {deadline}。"),
        "en": _T("Overdue: {acceptance_number}", "The task for {item_code} passed its deadline {deadline}."),
    },
    "review.bad": {
        "zh-CN": _T(
            "差评待整改：{acceptance_number}",
            "办件 {acceptance_number}（「{matter_code}」，{lead_department}）"
            "收到差评（{level} 星）：{comment}。"
            "整改期限 {rectification_due}。",
        ),
        "en": _T(
            "Bad review to rectify: {acceptance_number}",
            "Application {acceptance_number} ({matter_code}, {lead_department}) got a level {level} review: "
            "{comment}. Rectify by {rectification_due}.",
        ),
    },
    **{kind: {lang: _T(*text) for lang, text in by.items()} for kind, by in DUE_TEMPLATES.items()},
    **{kind: {lang: _T(*text) for lang, text in by.items()} for kind, by in HOTLINE_TEMPLATES.items()},
    "webhook.failed": {
        "zh-CN": _T(
            "事件推送失败",
            "订阅 {subscription_id} 向回调地址 {callback_url} 推送事件 {event_type}"
            "（{event_id}）在 {attempts} 次尝试后失败：{error}",
        ),
        "en": _T(
            "Webhook delivery failed",
            "Subscription {subscription_id} could not deliver {event_type} "
            "({event_id}) to {callback_url} after {attempts} attempts: {error}",
        ),
    },
}


class _SafeFormatter(string.Formatter):
    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        value = kwargs.get(str(key), "")
        return "" if value is None else value

    def get_field(self, field_name: str, args: Any, kwargs: Mapping[str, Any]) -> tuple[Any, str]:
        if not field_name.isidentifier():
            raise ValueError(f"only plain placeholders are allowed, not {{{field_name}}}")
        return self.get_value(field_name, args, kwargs), field_name


_FORMATTER = _SafeFormatter()


def normalise_locale(locale: str | None) -> str:
    """``en-US`` → ``en``; anything unknown → ``zh-CN`` (the default language of the platform)."""
    if locale and locale.lower().startswith("en"):
        return "en"
    return DEFAULT_LOCALE


def render(kind: str, locale: str | None, params: Mapping[str, Any], names: Names | None = None) -> Rendered:
    """The message of ``kind`` in the recipient's language, catalog codes shown by their ``names``;
    raises ``KeyError`` for an unknown kind."""
    language = normalise_locale(locale)
    template = TEMPLATES[kind][language]
    values = {k: text(v, language, names or {}) for k, v in params.items() if v is not None}
    return Rendered(
        _FORMATTER.vformat(template.subject, (), values),
        _FORMATTER.vformat(template.body, (), values),
        language,
    )


def _check_table() -> None:
    """Fail at import, not at 3 a.m., when a template lacks a language or uses a refused placeholder."""
    for kind, by_locale in TEMPLATES.items():
        if set(by_locale) != set(LOCALES):
            raise ValueError(f"template {kind!r} must have exactly the languages {LOCALES}")
        for template in by_locale.values():
            _FORMATTER.vformat(template.subject + template.body, (), {})


_check_table()
