"""The catalog service running in-process on a fresh PostgreSQL database and the shared Kafka."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from onematter_catalog.config import CatalogSettings
from onematter_catalog.entrypoints.app import create_app
from onematter_kit.identity import Role
from onematter_testkit import internal_headers, make_principal, random_code

AUDIENCE = "matter-catalog"


@dataclass
class Catalog:
    app: FastAPI
    client: httpx.AsyncClient
    topic_prefix: str
    admin: dict[str, str]
    applicant: dict[str, str]

    async def get(self, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        return await self.client.get(path, headers=headers or self.applicant, **kwargs)


@pytest.fixture
async def catalog(fresh_database_url: str, kafka_bootstrap: str, topic_prefix: str) -> AsyncIterator[Catalog]:
    settings = CatalogSettings(
        database_url=fresh_database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        kafka_topic_prefix=topic_prefix,
        environment="test",
        log_json=False,
    )
    app = create_app(settings)
    # Start-up migrates a fresh database and seeds 13 matters: seconds on a loaded machine, so the wait is
    # generous; shutdown keeps asgi-lifespan's 5 s, which the runtime's bounded stop must meet.
    async with (
        LifespanManager(app, startup_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://catalog") as client,
    ):
        yield Catalog(
            app=app,
            client=client,
            topic_prefix=topic_prefix,
            admin=internal_headers(make_principal(random_code("admin"), Role.admin), audience=AUDIENCE),
            applicant=internal_headers(make_principal(random_code("u"), Role.applicant), audience=AUDIENCE),
        )


#: Every required implementation-list element, with made-up values, so a draft may be published.
COMPLETE_ELEMENTS: dict[str, Any] = {
    "legal_bases": [{"law": "《测试条例》", "article": "第一条"}],
    "implementing_body": "测试实施机关",
    "service_objects": ["natural_person"],
    "conditions": ["测试受理条件"],
    "process": [{"name_zh": "受理", "working_days": 0}, {"name_zh": "审查", "working_days": 3}],
    "fee": {"free": True, "basis": "测试：不收费的依据"},
    "place": "测试大厅",
    "hours": "工作日",
    "consultation": [{"channel": "phone", "value": "12345"}],
    "complaint": [{"channel": "phone", "value": "12345"}],
}


def a_draft(
    *,
    code: str | None = None,
    name_zh: str = "测试一件事",
    department: str = "mps",
    item_code: str | None = None,
    form_fields: list[Any] | None = None,
    materials: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A valid, publishable draft body with random codes (the seed's departments and material types
    exist); each material's source defaults to the applicant."""
    return {
        "code": code or random_code("m"),
        "name_zh": name_zh,
        "name_en": "A test matter",
        "subject": "individual",
        "stage": "life",
        "lead_department": department,
        "items": [
            {
                "code": item_code or random_code("item"),
                "name_zh": "测试事项",
                "name_en": "A test item",
                "department": department,
                "kind": "administrative_confirmation",
                "statutory_days": 20,
                "committed_days": 3,
                "materials": [
                    {"source": "applicant", **m} for m in materials or [{"material_type": "id_card"}]
                ],
                "form_fields": form_fields or ["applicant_name", "id_number"],
                **COMPLETE_ELEMENTS,
            }
        ],
    }
