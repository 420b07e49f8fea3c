"""The one-time guide (一次告知): everything an applicant must know about a key matter, on one page.

Built from a published version (so the guide of version 1 never changes) and the departments' names.
The committed total is the longest item, since items are handled in parallel (并联办理); the sum of the
items' days is shown too, as what doing them one after another would take.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from onematter_events.matters import MatterPublished, PublishedItem

from onematter_catalog.domain.model import KIND_LABELS, Department, ItemKind

__all__ = ["build_guide", "render_guide_html"]

_CHANNELS = {
    "online": ("网上办理", "online"),
    "window": ("窗口办理", "service-hall window"),
    "kiosk": ("自助终端", "self-service kiosk"),
}


def _department(code: str, departments: Mapping[str, Department]) -> dict[str, str]:
    known = departments.get(code)
    return {
        "code": code,
        "name_zh": known.name_zh if known else code,
        "name_en": known.name_en if known else code,
    }


def _kind_zh(kind: str) -> str:
    try:
        return KIND_LABELS[ItemKind(kind)][0]
    except ValueError:  # a kind added by a newer catalog: show it as it is
        return kind


def _fees(version: MatterPublished) -> dict[str, Any]:
    charged = [
        {"item": i.code, "amount_yuan": i.fee.amount_yuan, "basis": i.fee.basis}
        for i in version.items
        if not i.fee.free
    ]
    return {"free": not charged, "charged": charged}


def _guide_item(i: PublishedItem) -> dict[str, Any]:
    """One item of the guide, with its 补正 term and its deferrable materials' terms (issue 15)."""
    return {
        "code": i.code,
        "name_zh": i.name_zh,
        "name_en": i.name_en,
        "department": i.department,
        "kind": i.kind,
        "kind_zh": _kind_zh(i.kind),
        "legal_basis": i.legal_basis,
        "committed_days": i.committed_days,
        "statutory_days": i.statutory_days,
        "supplement_term": i.supplement_term.model_dump() if i.supplement_term else None,
        "deferral_terms": {m.material_type: m.deferral.model_dump() for m in i.materials if m.deferral},
    }


def build_guide(version: MatterPublished, departments: Mapping[str, Department]) -> dict[str, Any]:
    """The guide as JSON. Departments missing from ``departments`` are shown by their code."""
    by_department: dict[str, list[str]] = {}
    for item in version.items:
        by_department.setdefault(item.department, []).append(item.code)
    return {
        "matter_code": version.matter_code,
        "version": version.version,
        "name_zh": version.name_zh,
        "name_en": version.name_en,
        "subject": version.subject,
        "lead_department": _department(version.lead_department, departments),
        "conditions": list(dict.fromkeys(c for item in version.items for c in item.conditions)),
        "materials": [m.model_dump() for m in version.materials],
        "departments": [
            {**_department(code, departments), "items": items} for code, items in by_department.items()
        ],
        "items": [_guide_item(i) for i in version.items],
        "fees": _fees(version),
        "committed_days": version.committed_days,
        "sequential_days": sum(i.committed_days for i in version.items),
        "supplement_days": version.supplement_days,
        "visits_required": max((i.visits_required for i in version.items), default=0),
        "channels": list(dict.fromkeys(c for i in version.items for c in i.channels)),
        "form_fields": len(version.form_schema.get("properties", {})),
    }


def _rows(rows: list[list[str]]) -> str:
    return "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)


def _material_note(material: dict[str, Any]) -> str:
    notes = ["关键材料" if material["key"] else "次要材料"]
    if material["deferrable"]:
        notes.append("可容缺后补")
    if material["commitment_allowed"]:
        notes.append("可告知承诺替代")
    if material["licence"]:
        notes.append("可用电子证照免提交")
    return "、".join(notes)


_CONSEQUENCE_ZH = {"not_accepted": "不予受理", "terminated": "终止办理"}


def _term_zh(term: dict[str, Any] | None) -> str:
    """``5个工作日，逾期不予受理（按事项规定）`` — told before applying (一次告知), so nobody is surprised."""
    if term is None:
        return "按事项规定"
    basis = f"依据{term['basis']}" if term["basis"] else "按事项规定"
    return f"{term['working_days']}个工作日，逾期{_CONSEQUENCE_ZH[term['consequence']]}（{basis}）"


def render_guide_html(guide: dict[str, Any]) -> str:
    """A printable, self-contained HTML page (UTF-8, no scripts); every value is HTML-escaped."""
    materials = _rows([[m["name_zh"], _material_note(m), "、".join(m["items"])] for m in guide["materials"]])
    departments = _rows([[d["name_zh"], "、".join(d["items"])] for d in guide["departments"]])
    items = _rows(
        [
            [
                i["name_zh"],
                i["kind_zh"],
                f"{i['committed_days']}",
                f"{i['statutory_days']}",
                _term_zh(i["supplement_term"]),
            ]
            for i in guide["items"]
        ]
    )
    conditions = "".join(f"<li>{escape(c)}</li>" for c in guide["conditions"]) or "<li>无</li>"
    channels = "、".join(_CHANNELS.get(c, (c,))[0] for c in guide["channels"])
    fee = "不收费" if guide["fees"]["free"] else "部分事项收费，详见各事项"
    title = escape(f"{guide['name_zh']}办事指南（第{guide['version']}版）")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;width:100%;margin-bottom:1em}}
td,th{{border:1px solid #999;padding:4px 8px;text-align:left}}@media print{{body{{margin:0}}}}</style></head>
<body><h1>{title}</h1><p>{escape(guide["name_en"])}</p>
<p>牵头部门：{escape(guide["lead_department"]["name_zh"])}　承诺办结时限：{guide["committed_days"]}个工作日
（并联办理；逐项办理需{guide["sequential_days"]}个工作日）
　到现场次数：{guide["visits_required"]}次　收费：{fee}
　办理渠道：{escape(channels)}</p>
<h2>受理条件</h2><ul>{conditions}</ul>
<h2>申请材料（一套材料）</h2><table><tr><th>材料</th><th>要求</th><th>所需事项</th></tr>{materials}</table>
<h2>办理部门</h2><table><tr><th>部门</th><th>事项</th></tr>{departments}</table>
<h2>事项清单</h2><table><tr><th>事项</th><th>类型</th><th>承诺时限（工作日）</th><th>法定时限（工作日）</th><th>补正期限</th></tr>
{items}</table>
<p>容缺材料及补正材料请在{guide["supplement_days"]}个工作日内补交。</p></body></html>
"""
