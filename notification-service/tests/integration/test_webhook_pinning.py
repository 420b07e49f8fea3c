"""Webhook connections go to the address that passed the check (DNS rebinding, issue 19).

The name below is answered by a fake resolver (``socket.getaddrinfo``, which asyncio and anyio both use):
a global address (93.184.216.34, example.com's old address) to the first question and 127.0.0.1
afterwards — the rebinding attack. The receiver is a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import socket
from typing import Any

import httpcore
import pytest
from onematter_clock import SystemClock
from onematter_notification.adapters.channels import DeliveryError, DeliveryJob, WebhookChannel
from onematter_notification.adapters.pinned import PinnedBackend, public_addresses_only
from onematter_notification.config import NotificationSettings
from onematter_notification.service_layer.workers import webhook_client

pytestmark = pytest.mark.integration

NAME = "hooks.rebinding.test"
PUBLIC = "93.184.216.34"


class _Dns:
    """Answers ``NAME`` with ``answers[0]``, then ``answers[1]``, …, repeating the last; counts questions."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
        self.answers, self.asked = list(answers), 0
        real = socket.getaddrinfo

        def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host != NAME:
                return real(host, port, *args, **kwargs)
            address = self.answers[min(self.asked, len(self.answers) - 1)]
            self.asked += 1
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

        monkeypatch.setattr(socket, "getaddrinfo", fake)


def _channel(*, allow_private: bool) -> tuple[WebhookChannel, Any]:
    settings = NotificationSettings(
        database_url="sqlite+aiosqlite:///:memory:",
        environment="test",
        webhook_allow_private_networks=allow_private,
    )
    client = webhook_client(settings)
    return WebhookChannel(client=client, allow_private=allow_private, clock=SystemClock()), client


def _job(port: int) -> DeliveryJob:
    return DeliveryJob("d1", "webhook", f"http://{NAME}:{port}/hook", "{}", "event-1", "secret")


async def test_a_name_that_rebinds_to_loopback_after_the_check_is_never_called(
    monkeypatch: pytest.MonkeyPatch, webhook_receiver
) -> None:
    _Dns(monkeypatch, PUBLIC, "127.0.0.1")
    channel, client = _channel(allow_private=False)
    async with client:
        with pytest.raises(DeliveryError, match=r"127\.0\.0\.1"):
            await channel.send(_job(webhook_receiver.port))

    assert webhook_receiver.calls == []


async def test_the_connection_goes_to_the_resolved_address_with_the_name_kept_in_the_request(
    monkeypatch: pytest.MonkeyPatch, webhook_receiver
) -> None:
    dns = _Dns(monkeypatch, "127.0.0.1")
    channel, client = _channel(allow_private=True)
    async with client:
        await channel.send(_job(webhook_receiver.port))

    [(headers, _body, status)] = webhook_receiver.calls
    assert status == 200
    assert headers["host"] == f"{NAME}:{webhook_receiver.port}"
    assert dns.asked == 1  # the connection resolved once (the check is skipped for private networks)


async def test_a_name_with_one_forbidden_address_among_public_ones_is_refused_at_connection(
    monkeypatch: pytest.MonkeyPatch, webhook_receiver
) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        return [PUBLIC, "169.254.169.254"]

    backend = PinnedBackend(permits=public_addresses_only(allow_private=False), resolve=resolve)
    with pytest.raises(httpcore.ConnectError, match=r"169\.254\.169\.254"):
        await backend.connect_tcp(NAME, webhook_receiver.port)
