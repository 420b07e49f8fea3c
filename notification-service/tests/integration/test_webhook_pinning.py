"""Webhook connections go to the address that passed the check (DNS rebinding, issue 19).

The name below is answered by a fake resolver (``socket.getaddrinfo``, which asyncio and anyio both use):
a global address (93.184.216.34, example.com's old address) to the first question and 127.0.0.1
afterwards — the rebinding attack. The receiver is a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from onematter_clock import SystemClock, system_now
from onematter_notification.adapters.channels import DeliveryError, DeliveryJob, WebhookChannel
from onematter_notification.adapters.pinned import PinnedBackend, PinnedTransport, public_addresses_only
from onematter_notification.config import NotificationSettings
from onematter_notification.service_layer.workers import webhook_client

from .conftest import WebhookReceiver

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


async def test_a_named_development_receiver_on_loopback_is_delivered_and_another_port_is_not(
    webhook_receiver,
) -> None:
    """``WEBHOOK_ALLOW_LOOPBACK`` names host and port: the connection-time rule lets that pair reach
    loopback (as the check before the call does) and nothing else on loopback."""
    settings = NotificationSettings(
        database_url="sqlite+aiosqlite:///:memory:",
        environment="development",
        webhook_allow_loopback=f"127.0.0.1:{webhook_receiver.port}",
    )
    receivers = settings.webhook_loopback_receivers
    client = webhook_client(settings)
    channel = WebhookChannel(client=client, allow_private=False, clock=SystemClock(), loopback=receivers)
    named = DeliveryJob("d1", "webhook", f"http://127.0.0.1:{webhook_receiver.port}/hook", "{}", "e-1", "s")
    async with client:
        await channel.send(named)
    assert [status for _h, _b, status in webhook_receiver.calls] == [200]

    backend = PinnedBackend(permits=public_addresses_only(allow_private=False, loopback=receivers))
    with pytest.raises(httpcore.ConnectError, match=r"127\.0\.0\.1"):
        await backend.connect_tcp("127.0.0.1", webhook_receiver.port + 1)


def _tls_files(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for ``name`` (and its key), PEM files in ``directory``."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = system_now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / f"{name}.crt", directory / f"{name}.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_receiver(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[WebhookReceiver, Path, ssl.SSLContext]]:
    """The receiver over TLS with a certificate for the name the test gives (``indirect``)."""
    cert_file, key_file = _tls_files(tmp_path, request.param)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    yield WebhookReceiver(), cert_file, context


@pytest.mark.parametrize(
    ("tls_receiver", "delivered"), [(NAME, True), ("other.example.org", False)], indirect=["tls_receiver"]
)
async def test_tls_checks_the_url_s_name_on_the_pinned_address(
    monkeypatch: pytest.MonkeyPatch, tls_receiver, delivered: bool
) -> None:
    receiver, cert_file, server_context = tls_receiver
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0, ssl=server_context)
    receiver.port = server.sockets[0].getsockname()[1]
    _Dns(monkeypatch, "127.0.0.1")
    trust = ssl.create_default_context(cafile=str(cert_file))
    transport = PinnedTransport(permits=public_addresses_only(allow_private=True), verify=trust)
    job = DeliveryJob("d1", "webhook", f"https://{NAME}:{receiver.port}/hook", "{}", "event-1", "secret")
    try:
        async with httpx.AsyncClient(transport=transport) as client:
            channel = WebhookChannel(client=client, allow_private=True, clock=SystemClock())
            if delivered:
                await channel.send(job)
            else:
                with pytest.raises(DeliveryError, match=r"[Hh]ostname mismatch"):
                    await channel.send(job)
    finally:
        server.close()

    assert len(receiver.calls) == (1 if delivered else 0)
