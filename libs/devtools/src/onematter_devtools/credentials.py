"""Kafka logins (SASL/SCRAM) and the folder that keeps their generated passwords.

A password is random (``secrets``), written once to ``<folder>/<username>`` with mode 0600 in a 0700
folder, and read from there afterwards; it is never printed or logged (``KafkaLogin``'s repr hides it).
Commands that need one read the file (``-X sasl.password="$(cat <file>)"``).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MECHANISM", "CredentialStore", "KafkaLogin"]

#: The one SASL mechanism of the client listener.
MECHANISM = "SCRAM-SHA-512"
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class KafkaLogin:
    """A SCRAM principal ``User:<username>`` and its password."""

    username: str
    password: str = field(repr=False)

    def service_env(self) -> dict[str, str]:
        """The ``KAFKA_*`` variables a service's settings read (``onematter_kit.settings.KafkaSettings``)."""
        return {
            "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "KAFKA_SASL_MECHANISM": MECHANISM,
            "KAFKA_USERNAME": self.username,
            "KAFKA_PASSWORD": self.password,
        }

    def aiokafka_options(self, bootstrap: str) -> dict[str, Any]:
        """Keyword arguments for an aiokafka client connecting as this principal."""
        return {
            "bootstrap_servers": bootstrap,
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": MECHANISM,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
        }

    def librdkafka_config(self, bootstrap: str) -> dict[str, str]:
        """librdkafka properties (confluent-kafka, and kcat's ``-X``) for this principal."""
        return {
            "bootstrap.servers": bootstrap,
            "security.protocol": "SASL_PLAINTEXT",
            "sasl.mechanisms": MECHANISM,
            "sasl.username": self.username,
            "sasl.password": self.password,
        }


class CredentialStore:
    """Generated passwords, one 0600 file per username under ``folder`` (created 0700)."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def path(self, username: str) -> Path:
        """The file holding ``username``'s password (raises ValueError for a name unfit for a file)."""
        if not _USERNAME.match(username):
            raise ValueError(f"not a Kafka username we create: {username!r}")
        return self.folder / username

    def login(self, username: str) -> KafkaLogin:
        """``username``'s login, generating and storing its password the first time."""
        path = self.path(username)
        if not path.exists():
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            draft = self.folder / f".{username}.{secrets.token_hex(4)}"
            descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(32) + "\n")
            try:  # a link appears whole or not at all; a concurrent start that linked first wins
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return KafkaLogin(username, path.read_text().strip())
