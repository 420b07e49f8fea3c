"""Generated licence numbers under concurrency, on the real PostgreSQL (issue 16, "licence daily sequence
race"): several replicas approving at the same moment must never issue the same number twice."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from onematter_events.applications import TaskCompleted
from onematter_events.matters import ItemResult
from onematter_kit.runtime import ServiceRuntime
from onematter_material.config import MaterialSettings
from onematter_material.domain.licences import licence_for
from onematter_material.entrypoints.app import create_app
from onematter_material.service_layer.licences import issue_licence
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork
from onematter_testkit import random_id

from .conftest import SHUTDOWN_TIMEOUT

pytestmark = pytest.mark.integration

#: 10:00 in Beijing on 1 December 2026: every number's date part is 20261201.
APPROVED_AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CONCURRENT = 8
_RESULT = ItemResult(licence_type="birth_medical_cert", number_prefix="CSYXZM")


def _approval() -> TaskCompleted:
    return TaskCompleted(
        task_id=random_id("task"),
        application_id=random_id("app"),
        acceptance_number="ONE-2026-0001",
        item_code="birth-cert",
        department="nhc",
        applicant_id=random_id("person"),
        outcome="approved",
        completed_at=APPROVED_AT,
        officer_id="officer-nhc",
        licence_type="birth_medical_cert",
        result=_RESULT,
    )


async def _issue_in_its_own_transaction(
    runtime: ServiceRuntime[MaterialUnitOfWork], together: asyncio.Barrier
) -> str:
    uow = runtime.uow()
    async with uow:
        await together.wait()  # every issuer holds its own unit of work before any of them claims a number
        licence = await issue_licence(_approval(), uow)
        assert licence is not None
        number = licence.number
        await uow.commit()
    return number


async def test_concurrent_approvals_on_several_connections_get_consecutive_distinct_numbers(
    app: FastAPI,
) -> None:
    runtime = app.state.runtime
    together = asyncio.Barrier(CONCURRENT)
    numbers = await asyncio.gather(
        *(_issue_in_its_own_transaction(runtime, together) for _ in range(CONCURRENT))
    )

    assert all(re.fullmatch(r"CSYXZM-20261201-\d{6}", n) for n in numbers), numbers
    # Independent expectation: one to CONCURRENT, each exactly once, whatever order they committed in.
    assert sorted(numbers) == [f"CSYXZM-20261201-{i:06d}" for i in range(1, CONCURRENT + 1)]


@pytest.fixture
def sqlite_settings(settings: MaterialSettings, sqlite_url: str) -> MaterialSettings:
    return settings.model_copy(update={"database_url": sqlite_url})


async def test_on_sqlite_the_counter_continues_after_numbers_issued_before_it_existed(
    sqlite_settings: MaterialSettings, acceptance_transport: httpx.MockTransport
) -> None:
    """``make run`` stores on SQLite: the same upsert works there, and a day's first claim starts after the
    numbers of that day already stored (a database upgraded during the day)."""
    application = create_app(sqlite_settings, acceptance_transport=acceptance_transport)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=SHUTDOWN_TIMEOUT):
        runtime = application.state.runtime
        async with runtime.uow() as uow:
            earlier = licence_for(_approval(), _RESULT, sequence=1, now=APPROVED_AT)
            await uow.licences.add(replace(earlier, number="CSYXZM-20261201-000001"))
            await uow.commit()
        numbers = []
        for _ in range(2):
            async with runtime.uow() as uow:
                licence = await issue_licence(_approval(), uow)
                assert licence is not None
                numbers.append(licence.number)
                await uow.commit()

    assert numbers == ["CSYXZM-20261201-000002", "CSYXZM-20261201-000003"]
