from onematter_events import hotline as ev
from onematter_notification.domain.planner import plan
from onematter_notification.domain.templates import render

ANSWERED = {
    "request_id": "0f3a9c2e-1111-2222-3333-444455556666",
    "request_type": "help",
    "answer": "信号灯已修复。",
    "recipients": ["zhangsan", "lisi"],
    "office": "mps",
}


def test_every_merged_caller_gets_the_answer_in_their_own_inbox():
    drafts = plan(ev.REQUEST_ANSWERED, ANSWERED)
    assert [(d.recipient, d.kind) for d in drafts] == [
        ("user:zhangsan", "hotline.answered"),
        ("user:lisi", "hotline.answered"),
    ]
    message = render("hotline.answered", "zh-CN", drafts[0].params)
    assert message.subject == "您的12345诉求已答复：0f3a9c2e"
    assert message.body == "您反映的诉求（编号 0f3a9c2e）已有答复：信号灯已修复。"


def test_an_escalation_goes_to_the_supervisor_and_the_office_with_the_office_by_name():
    data = {"request_id": "0f3a9c2e-1111", "office": "mps", "due_on": "2026-12-15", "round": 1}
    drafts = plan(ev.REQUEST_ESCALATED, data)
    assert [d.recipient for d in drafts] == ["role:supervisor", "dept:mps"]
    names = {("department", "mps"): {"zh-CN": "公安局"}}
    body = render("hotline.escalated", "zh-CN", drafts[0].params, names).body
    assert body == "12345诉求 0f3a9c2e 已超过答复期限 2026-12-15（承办单位 公安局），现予督办。"


def test_a_dispatch_goes_to_the_offices_shared_inbox():
    data = {
        "request_id": "0f3a9c2e-1111",
        "office": "mps",
        "region": "110105",
        "due_on": "2026-12-08",
        "text": "红绿灯坏了",
    }
    [draft] = plan(ev.REQUEST_DISPATCHED, data)
    assert (draft.recipient, draft.kind) == ("dept:mps", "hotline.dispatched")
