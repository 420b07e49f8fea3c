"""Handlers on fakes: a clock pinned at noon on 2025-09-30 in Beijing, 新生儿出生一件事 in the local catalog
copy, and the material service in memory behind ``httpx.MockTransport``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from acceptance_builders import material_client
from acceptance_fakes import FakeAcceptanceUnitOfWork
from acceptance_testing import FakeMaterialService, newborn_form, newborn_matter
from onematter_acceptance.domain.application import Application
from onematter_acceptance.domain.calendar import WorkCalendar
from onematter_acceptance.service_layer.commands import SubmitApplication
from onematter_acceptance.service_layer.submission import submit_application
from onematter_clock import FixedClock
from onematter_testkit import make_principal, random_id


@pytest.fixture
def material_service() -> FakeMaterialService:
    return FakeMaterialService()


@pytest.fixture
async def uow() -> FakeAcceptanceUnitOfWork:
    uow = FakeAcceptanceUnitOfWork(FixedClock(datetime(2025, 9, 30, 4, tzinfo=UTC)))
    await uow.fake_matters.save(newborn_matter(deferrable=frozenset({"photo"})), received_at=uow.clock.now())
    return uow


@pytest.fixture
def submit(uow: FakeAcceptanceUnitOfWork, material_service: FakeMaterialService):
    """Submit 新生儿出生一件事 for ``applicant`` with every material uploaded (or those of ``types``)."""

    async def submit_for(applicant: str = "zhangsan", types: list[str] | None = None) -> Application:
        command = SubmitApplication(
            caller=make_principal(applicant, "applicant"),
            idempotency_key=random_id("key"),
            matter_code="newborn-birth",
            form=newborn_form(),
            materials=material_service.upload_all(applicant, types),
        )
        submitted = await submit_application(
            command, uow, materials=material_client(material_service), calendar=WorkCalendar()
        )
        uow.emitted.clear()
        return uow.stored(submitted.acceptance_number)

    return submit_for
