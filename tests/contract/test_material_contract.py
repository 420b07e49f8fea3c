"""The material contract's cases (``material_cases``) against the fake acceptance's tests use and against
the real material service (in-process on the shared PostgreSQL): a drift of the fake fails here.

The real service is seeded through its own API (uploads, the issuing department's revocation) and, for
licences, through its own handler of ``task.completed`` (the way a licence is issued in production).
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from onematter_events.applications import TaskCompleted
from onematter_events.matters import ItemResult
from onematter_kit.identity import Role
from onematter_material.config import MaterialSettings
from onematter_material.entrypoints.app import create_app
from onematter_material.service_layer.licences import issue_licence
from onematter_testkit import internal_headers, make_principal, random_id

from .material_cases import CASES, Case, SeededLicence

sys.path.insert(0, str(Path(__file__).parents[2] / "acceptance-service" / "tests"))
from acceptance_testing import FakeMaterialService  # acceptance's tests are not a package

ISSUER = "nhc"  # the issuing department of the licences the cases seed


class FakeProvider:
    """Acceptance's fake, seeded directly."""

    def __init__(self) -> None:
        self.fake = FakeMaterialService()
        self.transport = self.fake.transport()

    async def add_material(self, owner: str, material_type: str) -> str:
        return self.fake.upload(owner, material_type)

    async def add_licence(self, owner: str, licence_type: str) -> SeededLicence:
        licence_id = self.fake.grant_licence(owner, licence_type)
        row = next(lic for lic in self.fake.licences[owner] if lic["id"] == licence_id)
        return SeededLicence(licence_id, licence_type, row["number"], row["verification_code"])

    async def revoke_licence(self, licence: SeededLicence) -> None:
        for licences in self.fake.licences.values():
            for row in licences:
                if row["id"] == licence.id:
                    row["status"] = "revoked"


class RealProvider:
    """The material service itself, seeded through its API and its licence handler."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.transport = httpx.ASGITransport(app=app)

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url="http://material", transport=self.transport, timeout=30)

    async def add_material(self, owner: str, material_type: str) -> str:
        headers = internal_headers(make_principal(owner, Role.applicant), audience="material")
        content = b"%PDF-1.7\n" + secrets.token_bytes(256)
        async with self._http() as http:
            response = await http.post(
                "/api/v1/materials",
                headers=headers,
                data={"material_type": material_type},
                files={"file": ("scan.pdf", content, "application/pdf")},
            )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def add_licence(self, owner: str, licence_type: str) -> SeededLicence:
        task = TaskCompleted(
            task_id=random_id("task"),
            application_id=random_id("app"),
            acceptance_number="ONE-2026-0001",
            item_code="birth-cert",
            department=ISSUER,
            applicant_id=owner,
            outcome="approved",
            completed_at=datetime.now(UTC),
            officer_id="officer-1",
            licence_type=licence_type,
            result=ItemResult(licence_type=licence_type, number_prefix="CSYXZM"),
        )
        async with self.app.state.runtime.uow() as uow:
            licence = await issue_licence(task, uow)
            await uow.commit()
        assert licence is not None
        return SeededLicence(licence.id, licence.licence_type, licence.number, licence.verification_code)

    async def revoke_licence(self, licence: SeededLicence) -> None:
        officer = make_principal(random_id("officer"), Role.officer, department=ISSUER)
        async with self._http() as http:
            response = await http.post(
                f"/api/v1/licences/{licence.id}/revoke",
                headers=internal_headers(officer, audience="material"),
                json={"reason": "contract test"},
            )
        assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def fake_provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
async def real_provider(fresh_database_url: str, tmp_path: Path) -> AsyncIterator[RealProvider]:
    settings = MaterialSettings(
        database_url=fresh_database_url,
        kafka_enabled=False,
        run_workers=False,
        environment="test",
        material_storage_dir=tmp_path / "blobs",
        log_json=False,
        log_level="WARNING",
    )
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30):
        yield RealProvider(app)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_the_fake_material_service_keeps_the_contract(case: Case, fake_provider: FakeProvider) -> None:
    await case(fake_provider)


@pytest.mark.integration
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_the_real_material_service_keeps_the_contract(case: Case, real_provider: RealProvider) -> None:
    await case(real_provider)
