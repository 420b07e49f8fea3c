"""The one-time guide as a printable page: what an applicant reads before applying, in their words.

Items are named, never coded (codes are the platform's ids, meaningless to an applicant); each item shows
its legal basis, implementing body, fee with its basis, limits and process; the page shows where and when
to go, how to ask and complain, and the FAQ. Values marked as demonstration values say so.
"""

from __future__ import annotations

from html import escape
from typing import Any

from onematter_events.elements import SPECIAL_PROCEDURE_LABELS

__all__ = ["render_guide_html"]

_CHANNELS = {"online": "网上办理", "window": "窗口办理", "kiosk": "自助终端"}
_SOURCES = {"applicant": "申请人自备", "government": "政府部门核发", "data_sharing": "部门共享获取，无需提交"}
_FORMS = {"original": "原件", "copy": "复印件", "electronic": "电子材料"}
_CONTACTS = {"phone": "电话", "online": "网上", "window": "窗口", "mail": "信函"}
_CONSEQUENCE_ZH = {"not_accepted": "不予受理", "terminated": "终止办理"}


def _rows(rows: list[list[str]]) -> str:
    return "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)


def _list(values: list[str], empty: str = "无") -> str:
    return "".join(f"<li>{escape(v)}</li>" for v in values) or f"<li>{escape(empty)}</li>"


def _material_note(
    material: dict[str, Any], requirement: dict[str, Any] | None, names: dict[str, str]
) -> str:
    notes = ["关键材料" if material["key"] else "次要材料"]
    if material.get("in_bundle_from") in names:
        notes.append(f"由本件“{names[material['in_bundle_from']]}”的办理结果提供，无需提交")
    if requirement and requirement.get("source"):
        notes.append(_SOURCES[requirement["source"]])
    if requirement:
        copies = f"{requirement['copies']}份" if requirement.get("copies") else ""
        notes.append(_FORMS[requirement["form"]] + copies)
    if material["deferrable"]:
        notes.append("可容缺后补")
    if material["commitment_allowed"]:
        notes.append("可告知承诺替代")
    if material["licence"]:
        notes.append("可用电子证照免提交")
    return "、".join(notes)


def _term_zh(term: dict[str, Any] | None) -> str:
    """``5个工作日，逾期不予受理（按事项规定）`` — told before applying (一次告知), so nobody is surprised."""
    if term is None:
        return "按事项规定"
    basis = f"依据{term['basis']}" if term["basis"] else "按事项规定"
    return f"{term['working_days']}个工作日，逾期{_CONSEQUENCE_ZH[term['consequence']]}（{basis}）"


def _fee_zh(fee: dict[str, Any]) -> str:
    if fee["free"]:
        return fee["basis"] or "不收费"
    amount = f"{fee['amount_yuan']}元" if fee.get("amount_yuan") else fee.get("standard", "")
    return f"收费：{amount}（依据：{fee['basis']}）"


def _process_zh(item: dict[str, Any]) -> str:
    steps = [
        f"{s['name_zh']}（{s['working_days']}个工作日）" if s["working_days"] else f"{s['name_zh']}（当场）"
        for s in item.get("process", [])
    ]
    special = [
        f"{SPECIAL_PROCEDURE_LABELS[p['procedure']]}：{p['description_zh']}（不计入办理时限）"
        for p in item.get("special_procedures", [])
    ]
    return "→".join(steps) + ("；特别程序：" + "；".join(special) if special else "")


def _item_rows(guide: dict[str, Any]) -> list[list[str]]:
    return [
        [
            i["name_zh"],
            i["kind_zh"],
            i.get("implementing_body") or "",
            "；".join(i.get("legal_bases", [])) or i["legal_basis"],
            _fee_zh(i["fee"]) if "fee" in i else "",
            f"{i['committed_days']}",
            f"{i['statutory_days']}",
            _term_zh(i["supplement_term"]),
            _process_zh(i),
        ]
        for i in guide["items"]
    ]


def _situation_html(guide: dict[str, Any]) -> str:
    """The applicant's answers (情形) and what they changed; nothing when the guide is not tailored."""
    if guide.get("answers") is None:
        return ""
    lines = []
    for question in guide["questions"]:
        labels = {o["value"]: o["label_zh"] for o in question["options"]}
        chosen = [labels.get(v, v) for v in guide["answers"].get(question["key"], [])]
        lines.append(f"{question['text_zh']}：{'、'.join(chosen) or '无'}")
    return f"<h2>您的情形</h2><ul>{_list(lines + guide['notes'])}</ul>"


def _places_html(guide: dict[str, Any]) -> str:
    places = dict.fromkeys((i.get("place", ""), i.get("hours", "")) for i in guide["items"])
    rows = _rows([[place, hours] for place, hours in places if place or hours])
    contacts = {
        name: list(
            dict.fromkeys(f"{_CONTACTS[c['channel']]}：{c['value']}" for i in guide["items"] for c in i[key])
        )
        for key, name in (("consultation", "咨询"), ("complaint", "监督投诉"))
        if all(key in i for i in guide["items"])
    }
    faq = [f"问：{f['question']} 答：{f['answer']}" for i in guide["items"] for f in i.get("faq", [])]
    return (
        f"<h2>办理地点和时间</h2><table><tr><th>办理地点</th><th>办理时间</th></tr>{rows}</table>"
        + "".join(f"<h2>{name}方式</h2><ul>{_list(values)}</ul>" for name, values in contacts.items())
        + f"<h2>常见问题</h2><ul>{_list(faq)}</ul>"
    )


def render_guide_html(guide: dict[str, Any]) -> str:
    """A printable, self-contained HTML page (UTF-8, no scripts); every value is HTML-escaped."""
    names = {i["code"]: i["name_zh"] for i in guide["items"]}
    needs = {m["material_type"]: m for i in guide["items"] for m in i.get("materials", [])}
    materials = _rows(
        [
            [
                m["name_zh"],
                _material_note(m, needs.get(m["material_type"]), names),
                "、".join(names[c] for c in m["items"]),
            ]
            for m in guide["materials"]
        ]
    )
    departments = _rows(
        [[d["name_zh"], "、".join(names[c] for c in d["items"])] for d in guide["departments"]]
    )
    conditions = _list(guide["conditions"])
    channels = "、".join(_CHANNELS.get(c, c) for c in guide["channels"])
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
　办理渠道：{escape(channels)}</p>{_situation_html(guide)}
<h2>受理条件</h2><ul>{conditions}</ul>
<h2>申请材料（一套材料）</h2><table><tr><th>材料</th><th>要求</th><th>所需事项</th></tr>{materials}</table>
<h2>办理部门</h2><table><tr><th>部门</th><th>事项</th></tr>{departments}</table>
<h2>事项清单</h2><table><tr><th>事项</th><th>类型</th><th>实施主体</th><th>设定依据</th><th>收费</th>
<th>承诺时限（工作日）</th><th>法定时限（工作日）</th><th>补正期限</th><th>办理流程</th></tr>
{_items_html(guide)}</table>{_places_html(guide)}
<p>容缺材料及补正材料请在{guide["supplement_days"]}个工作日内补交。</p></body></html>
"""


def _items_html(guide: dict[str, Any]) -> str:
    return _rows(_item_rows(guide))
