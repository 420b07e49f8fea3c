"""The 12345 hotline through the gateway on real Kafka and PostgreSQL (issue 24).

The system runs "as of" Tue 2026-12-01 09:00 in Beijing (``CLOCK_AS_OF``). Expected due dates are counted
by hand on the 2026 calendar (国办发明电〔2025〕7号: no holiday in December): a complaint has 10 working days
(issue 24: "5/10/15 to answer"), so one dispatched on Tue 2026-12-01 is due Tue 2026-12-15 (Dec 2–4, 7–11,
14, 15); a help request has 5, due Tue 2026-12-08 (Dec 2–4, 7, 8).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from onematter_testkit import wait_for

pytestmark = pytest.mark.e2e

AS_OF = "2026-12-01T01:00:00Z"
R = "/api/v1/hotline/requests"


@pytest.fixture(scope="module")
def hotline_system(launch_system) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    with launch_system(
        every_service_env={"CLOCK_AS_OF": AS_OF, "ESCALATION_INTERVAL_SECONDS": "1"}
    ) as running:
        yield running


async def _post(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], body: dict, status: int = 200
) -> dict:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def _inbox(client: httpx.AsyncClient, headers: dict[str, str], kind: str, ref: str) -> list[dict]:
    response = await client.get("/api/v1/notifications", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [m for m in response.json()["items"] if m["kind"] == kind and ref in m["subject"]]


async def _told(
    system: Any, client: httpx.AsyncClient, user: str, kind: str, ref: str, count: int = 1
) -> list[dict]:
    """Wait until ``user``'s inbox holds ``count`` messages of ``kind`` about ``ref`` (sent via Kafka)."""
    headers = await system.auth(user)

    async def enough() -> list[dict] | None:
        messages = await _inbox(client, headers, kind, ref)
        return messages if len(messages) >= count else None

    return await wait_for(enough, timeout=60, message=f"{count} × {kind} for {user}")


async def test_a_consultation_is_answered_from_the_knowledge_base_and_closed_on_first_contact(hotline_system):
    system = hotline_system
    operator = await system.auth("operator01")
    async with system.client() as client:

        async def found() -> list[dict]:
            response = await client.get(
                "/api/v1/hotline/knowledge", params={"q": "请问新生儿出生医学证明怎么办理"}, headers=operator
            )
            assert response.status_code == 200, response.text
            return [e for e in response.json() if e["id"] == "matter:newborn-birth"]

        entry = (await wait_for(found, timeout=90, message="the catalog's guide in the knowledge base"))[0]
        assert "出生医学证明" in entry["body"]
        body = {
            "type": "consultation",
            "region": "110105",
            "category": "health",
            "text": "新生儿出生医学证明怎么办理？",
        }
        taken = await _post(client, R, operator, {**body, "caller": {"subject": "zhangsan"}}, 201)
        assert (taken["status"], taken["channel"], taken["received_on"]) == ("received", "call", "2026-12-01")
        answered = await _post(
            client, f"{R}/{taken['id']}/answer-on-spot", operator, {"answer": entry["body"]}
        )

        assert (answered["status"], answered["answered_on_first_contact"]) == ("closed", True)
        messages = await _told(system, client, "zhangsan", "hotline.answered", taken["id"][:8])
        assert "出生医学证明" in messages[0]["body"]


async def test_a_complaint_is_dispatched_objected_redispatched_answered_reopened_and_closed(hotline_system):
    system = hotline_system
    operator, dispatcher = await system.auth("operator01"), await system.auth("dispatcher01")
    samr, mot = await system.auth("officer-samr"), await system.auth("officer-mot")
    async with system.client() as client:
        rule = {"category": "transport-service", "region": "110000", "office": "samr"}
        response = await client.put("/api/v1/hotline/dispatch-rules", json=rule, headers=dispatcher)
        assert response.status_code == 200, response.text
        caller = {"name": "李四", "phone": "13812345678", "subject": "lisi"}
        text = "出租车司机拒载并辱骂乘客，要求处理"
        body = {"type": "complaint", "region": "110105", "category": "transport-service", "text": text}
        taken = await _post(client, R, operator, {**body, "caller": caller}, 201)
        rid = taken["id"]

        dispatched = await _post(client, f"{R}/{rid}/dispatch", operator, {})  # the catalogue's suggestion
        assert (dispatched["office"], dispatched["due_on"], dispatched["round"]) == ("samr", "2026-12-15", 1)
        seen = (await client.get(f"{R}/{rid}", headers=samr)).json()
        assert seen["caller"] == {"name": "李*", "phone": "138****5678", "subject": None}
        await _told(system, client, "officer-samr", "hotline.dispatched", rid[:8])

        objected = await _post(client, f"{R}/{rid}/objection", samr, {"reason": "出租车管理属交通运输部门"})
        assert objected["status"] == "objected"
        refused = await client.post(f"{R}/{rid}/dispatch", json={"office": "mot"}, headers=operator)
        assert refused.status_code == 409, refused.text  # an objection is reviewed by a dispatcher
        redispatched = await _post(client, f"{R}/{rid}/dispatch", dispatcher, {"office": "mot"})
        assert (redispatched["office"], redispatched["round"]) == ("mot", 2)
        gone = await client.post(f"{R}/{rid}/answer", json={"answer": "x"}, headers=samr)
        assert gone.status_code == 409, gone.text

        await _post(client, f"{R}/{rid}/answer", mot, {"answer": "已约谈出租车公司，对司机停运处理。"})
        await _told(system, client, "lisi", "hotline.answered", rid[:8])
        reopened = await _post(client, f"{R}/{rid}/callback", operator, {"level": 2})
        assert (reopened["status"], reopened["office"], reopened["round"], reopened["reopenings"]) == (
            "dispatched",
            "mot",
            3,
            1,
        )
        await _post(client, f"{R}/{rid}/answer", mot, {"answer": "已向乘客当面致歉并退还车费。"})
        closed = await _post(client, f"{R}/{rid}/callback", operator, {"level": 1})  # reopened only once

        assert (closed["status"], closed["satisfaction"]) == ("closed", 1)
        answered = await _told(system, client, "lisi", "hotline.answered", rid[:8], count=2)
        assert len(answered) == 2  # one per answer: the reopened round's answer reaches the caller too


async def test_three_similar_requests_are_merged_and_every_caller_gets_the_answer(hotline_system):
    system = hotline_system
    operator, mps = await system.auth("operator01"), await system.auth("officer-mps")
    region = (
        f"11{secrets.randbelow(90) + 10:02d}05"  # a district of its own, so no other test's request matches
    )
    texts = [
        "建国路和朝阳路路口的红绿灯坏了，请尽快修理",
        "朝阳路建国路路口红绿灯坏了，车辆拥堵，请尽快修理",
        "建国路朝阳路路口的红绿灯坏了好几天",
    ]
    async with system.client() as client:
        other = {"type": "complaint", "region": region, "category": "traffic", "text": "小区门口餐馆油烟扰民"}
        unrelated = await _post(client, R, operator, {**other, "caller": {"subject": "wangwu"}}, 201)
        taken = []
        for text, caller in zip(texts, ("zhangsan", "lisi", "zhaoliu"), strict=True):
            body = {
                "type": "help",
                "region": region,
                "category": "traffic",
                "text": text,
                "caller": {"subject": caller},
            }
            taken.append(await _post(client, R, operator, body, 201))
        first, second, third = taken
        assert [p["request_id"] for p in second["merge_proposals"]] == [first["id"]]
        assert {p["request_id"] for p in third["merge_proposals"]} == {first["id"], second["id"]}
        assert unrelated["id"] not in {p["request_id"] for t in taken for p in t["merge_proposals"]}

        await _post(client, f"{R}/{second['id']}/merge", operator, {"into": first["id"]})
        primary = await _post(client, f"{R}/{third['id']}/merge", operator, {"into": first["id"]})
        assert primary["merged"] == [second["id"], third["id"]]
        dispatched = await _post(client, f"{R}/{first['id']}/dispatch", operator, {"office": "mps"})
        assert dispatched["due_on"] == "2026-12-08"
        await _post(client, f"{R}/{first['id']}/answer", mps, {"answer": "信号灯已修复。"})

        for user in ("zhangsan", "lisi", "zhaoliu"):
            messages = await _told(system, client, user, "hotline.answered", first["id"][:8])
            assert "信号灯已修复" in messages[0]["body"]


async def test_an_overdue_request_is_escalated_to_the_supervisor(hotline_system):
    system = hotline_system
    operator, supervisor = await system.auth("operator01"), await system.auth("supervisor")
    async with system.client() as client:
        body = {"type": "complaint", "region": "110101", "category": "housing", "text": "物业不履行维修义务"}
        taken = await _post(client, R, operator, {**body, "caller": {"subject": "zhangsan"}}, 201)
        dispatched = await _post(client, f"{R}/{taken['id']}/dispatch", operator, {"office": "urban"})
        assert (dispatched["due_on"], dispatched["escalated_round"]) == ("2026-12-15", 0)

        system.restart_as_of("hotline", "2026-12-16T01:00:00Z")  # the next day, 09:00 in Beijing

        async def escalated() -> dict | None:
            current = (await client.get(f"{R}/{taken['id']}", headers=supervisor)).json()
            return current if current["escalated_round"] == 1 else None

        await wait_for(escalated, timeout=60, message="the escalation round")
        await _told(system, client, "supervisor", "hotline.escalated", taken["id"][:8])
