"""Generated licence numbers under concurrency, on the real PostgreSQL (issue 16, "licence daily sequence
race"): several replicas approving at the same moment must never issue the same number twice."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from onematter_events.applications import TaskCompleted
from onematter_events.matters import ItemResult
from onematter_kit.runtime import ServiceRuntime
from onematter_material.service_layer.licences import issue_licence
from onematter_material.service_layer.unit_of_work import MaterialUnitOfWork
from onematter_testkit import random_id

pytestmark = pytest.mark.integration

#: 10:00 in Beijing on 1 December 2026: every number's date part is 20261201.
APPROVED_AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CONCURRENT = 8


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
        result=ItemResult(licence_type="birth_medical_cert", number_prefix="CSYXZM"),
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
