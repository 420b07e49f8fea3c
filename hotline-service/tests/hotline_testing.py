"""The in-process hotline a test talks to: its client and the callers' headers."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from onematter_kit.identity import Role
from onematter_testkit import internal_headers, make_principal

AUDIENCE = "hotline"


@dataclass
class Hotline:
    client: httpx.AsyncClient
    topic_prefix: str
    operator: dict[str, str]
    dispatcher: dict[str, str]

    def officer(self, office: str) -> dict[str, str]:
        return internal_headers(
            make_principal(f"officer-{office}", Role.officer, department=office), audience=AUDIENCE
        )

    def applicant(self, subject: str) -> dict[str, str]:
        return internal_headers(make_principal(subject, Role.applicant), audience=AUDIENCE)
