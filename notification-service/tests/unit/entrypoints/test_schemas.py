"""Answers show instants in China Standard Time (``+08:00``), whatever zone they were stored in."""

from __future__ import annotations

from datetime import UTC, datetime

from onematter_notification.adapters.tables import Delivery, Message
from onematter_notification.entrypoints.schemas import DeliveryPublic, MessagePublic

INSTANT = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)


def test_a_message_written_at_2026_11_30T20_04_52Z_answers_2026_12_01T04_04_52_0800() -> None:
    message = Message(
        seq=1,
        recipient="user:u1",
        kind="application.accepted",
        locale="zh-CN",
        subject="s",
        body="b",
        cause_id="e1",
        created_at=INSTANT,
    )
    answer = MessagePublic.model_validate(message).model_dump(mode="json")
    assert answer["created_at"] == "2026-12-01T04:04:52+08:00" and answer["read_at"] is None


def test_a_pending_delivery_shows_its_next_attempt_and_a_finished_one_does_not() -> None:
    delivery = Delivery(
        channel="webhook",
        target_key="s1",
        cause_id="e1",
        address="https://hooks.example.cn",
        payload="{}",
        status="pending",
        next_attempt_at=INSTANT,
        created_at=INSTANT,
    )
    assert (
        DeliveryPublic.of(delivery, []).model_dump(mode="json")["next_attempt_at"]
        == "2026-12-01T04:04:52+08:00"
    )
    delivery.status, delivery.finished_at = "delivered", INSTANT
    assert DeliveryPublic.of(delivery, []).next_attempt_at is None
