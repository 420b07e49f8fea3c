"""The notification service in-process on the real PostgreSQL and Kafka, with a real SMTP server (aiosmtpd),
a real HTTP webhook receiver on 127.0.0.1, and events published to Kafka the way producers publish them."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiosmtpd.controller import Controller
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from onematter_clock import Clock, FixedClock
from onematter_events import CloudEvent, task_topic, topic_for
from onematter_kit.kafka import ensure_topics
from onematter_notification.config import NotificationSettings
from onematter_notification.entrypoints.app import create_app
from onematter_testkit import kafka_options
from onematter_testkit.application_events import accepted, approved, assigned, rejected


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Any:
    """A real SMTP server on 127.0.0.1; ``.mailbox.messages`` holds what arrived."""
    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.mailbox = mailbox
    yield controller
    controller.stop()


@dataclass
class WebhookReceiver:
    """A tiny HTTP server that answers 500 to its first ``fail_first`` calls and 200 afterwards."""

    fail_first: int = 0
    calls: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")[1:]
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)
        }
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        status = 500 if len(self.calls) < self.fail_first else 200
        self.calls.append((headers, body, status))
        writer.write(f"HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()


@pytest.fixture
async def webhook_receiver() -> AsyncIterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    yield receiver
    server.close()
    await server.wait_closed()


@pytest.fixture
def settings(
    fresh_database_url: str, kafka_bootstrap: str, topic_prefix: str, smtp_server: Any
) -> NotificationSettings:
    return NotificationSettings(
        database_url=fresh_database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_topic_prefix=topic_prefix,
        environment="test",
        log_json=False,
        log_level="WARNING",
        digest_window_seconds=1.0,
        worker_poll_seconds=0.2,
        sse_heartbeat_seconds=1.0,
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        webhook_allow_private_networks=True,
        delivery_backoff_base_seconds=0.05,
        delivery_backoff_cap_seconds=0.2,
    )


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Clock | None:
    """The service's clock: the settings' (real time), or one standing still at the instant a test gives
    with ``@pytest.mark.parametrize("clock", [instant], indirect=True)``."""
    at: datetime | None = getattr(request, "param", None)
    return FixedClock(at) if at is not None else None


@pytest.fixture
async def app(settings: NotificationSettings, clock: Clock | None) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=30):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://notification"
    ) as http:
        yield http


class Bus:
    """Publishes CloudEvents to Kafka on ``topic_for`` topics with the test's prefix."""

    def __init__(self, producer: AIOKafkaProducer, *, bootstrap: str, prefix: str) -> None:
        self.producer, self.bootstrap, self.prefix = producer, bootstrap, prefix

    async def publish(self, event: CloudEvent) -> None:
        topic, key = topic_for(event, self.prefix)
        await ensure_topics(self.bootstrap, [topic])
        await self.producer.send_and_wait(topic, value=event.to_bytes(), key=key.encode())

    def task_topic(self, department: str) -> str:
        return task_topic(department, self.prefix)


@pytest.fixture
async def bus(kafka_bootstrap: str, topic_prefix: str, app: FastAPI) -> AsyncIterator[Bus]:
    producer = AIOKafkaProducer(**kafka_options(kafka_bootstrap), acks="all")
    await producer.start()
    yield Bus(producer, bootstrap=kafka_bootstrap, prefix=topic_prefix)
    await producer.stop()


@pytest.fixture
def builders() -> dict[str, Callable[..., CloudEvent]]:
    return {"accepted": accepted, "approved": approved, "assigned": assigned, "rejected": rejected}
