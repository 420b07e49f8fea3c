"""补正: materials handed in by a supplement are granted to the resumed tasks' departments, and no others."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from onematter_events import CloudEvent, Stream, new_event, topic_name
from onematter_events.applications import (
    APPLICATION_SUPPLEMENT_RECEIVED,
    ApplicationSupplementReceived,
    ResumedTask,
)
from onematter_kit.identity import Principal
from onematter_material.adapters.tables import AccessGrant
from onematter_material.service_layer.grants import on_supplement_received
from onematter_testkit import random_code, random_id, wait_for
from sqlalchemy import select

from .helpers import applicant, headers, officer, pdf_bytes, publish, upload

pytestmark = pytest.mark.integration


async def _material(client: httpx.AsyncClient, owner: Principal, kind: str) -> str:
    response = await upload(client, owner, pdf_bytes(), material_type=kind)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _received(
    owner: Principal, application_id: str, materials: dict[str, str], resumed: list[ResumedTask]
) -> CloudEvent:
    return new_event(
        APPLICATION_SUPPLEMENT_RECEIVED,
        ApplicationSupplementReceived(
            application_id=application_id,
            acceptance_number="YJS-20261128-000001",
            applicant_id=owner.subject,
            materials=materials,
            resumed_task_ids=[t.task_id for t in resumed],
            received_at=datetime.now(UTC),
            resumed_tasks=resumed,
        ),
    )


async def _status(client: httpx.AsyncClient, material_id: str, reader: Principal) -> int:
    return (await client.get(f"/api/v1/materials/{material_id}/content", headers=headers(reader))).status_code


async def test_each_resumed_task_department_reads_only_the_supplied_materials_its_task_needs(
    client: httpx.AsyncClient, kafka_bootstrap: str, topic_prefix: str
) -> None:
    owner, stranger = applicant("李四"), applicant()
    police, disease, insurance = random_code("mps"), random_code("ndcpa"), random_code("nhsa")
    book = await _material(client, owner, "hukou_book")
    cert = await _material(client, owner, "birth_medical_cert")
    unsupplied = await _material(client, owner, "photo")
    foreign = await _material(client, stranger, "hukou_book")
    police_task, disease_task = random_id("task"), random_id("task")
    event = _received(
        owner,
        random_id("app"),
        {"hukou_book": book, "birth_medical_cert": cert},
        [
            # ``unsupplied`` was not handed in with this supplement and ``foreign`` is not the applicant's:
            # neither may be opened, whatever the event says.
            ResumedTask(
                task_id=police_task, department=police, material_ids=[book, cert, unsupplied, foreign]
            ),
            ResumedTask(task_id=disease_task, department=disease, material_ids=[cert]),
        ],
    )

    await publish(kafka_bootstrap, topic_name(Stream.applications, topic_prefix), event)

    police_officer, disease_officer = officer(police), officer(disease)

    async def granted() -> bool:
        return await _status(client, cert, disease_officer) == 200

    await wait_for(granted, timeout=40, message="the grant from application.supplement-received")
    assert await _status(client, book, police_officer) == 200
    assert await _status(client, cert, police_officer) == 200
    assert await _status(client, book, disease_officer) == 404
    assert await _status(client, unsupplied, police_officer) == 404
    assert await _status(client, foreign, police_officer) == 404
    assert await _status(client, book, officer(insurance)) == 404
    log = (await client.get("/api/v1/materials/access-log", headers=headers(owner))).json()
    assert {(e["material_id"], e["department"], e["task_id"]) for e in log["items"]} == {
        (cert, disease, disease_task),
        (book, police, police_task),
        (cert, police, police_task),
    }


async def _grants(app: FastAPI, application_id: str) -> list[tuple[str, str, str]]:
    async with app.state.runtime.uow() as uow:
        rows = (
            await uow.session.execute(select(AccessGrant).where(AccessGrant.application_id == application_id))
        ).scalars()
        return sorted((g.task_id, g.department, g.material_id) for g in rows)


async def _apply(app: FastAPI, event: CloudEvent) -> None:
    async with app.state.runtime.uow() as uow:
        await on_supplement_received(event, uow)
        await uow.commit()


async def test_a_redelivered_supplement_grants_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, application_id = applicant(), random_id("app")
    book = await _material(client, owner, "hukou_book")
    task = ResumedTask(task_id=random_id("task"), department="mps", material_ids=[book])
    event = _received(owner, application_id, {"hukou_book": book}, [task])

    await _apply(app, event)
    await _apply(app, event)

    assert await _grants(app, application_id) == [(task.task_id, "mps", book)]


async def test_a_supplement_from_an_older_producer_without_resumed_tasks_grants_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    owner, application_id = applicant(), random_id("app")
    book = await _material(client, owner, "hukou_book")
    old: dict[str, Any] = _received(owner, application_id, {"hukou_book": book}, []).model_dump(mode="json")
    old["data"].pop("resumed_tasks")

    await _apply(app, CloudEvent.model_validate(old))

    assert await _grants(app, application_id) == []


async def test_a_task_that_already_ended_is_not_granted_by_a_late_supplement(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    owner, application_id = applicant(), random_id("app")
    book, old_book = await _material(client, owner, "hukou_book"), await _material(client, owner, "id_card")
    task = ResumedTask(task_id=random_id("task"), department="mps", material_ids=[book])
    async with app.state.runtime.uow() as uow:
        uow.session.add(
            AccessGrant(
                department="mps",
                material_id=old_book,
                task_id=task.task_id,
                application_id=application_id,
                active=False,
                granted_at=datetime.now(UTC),
                ended_at=datetime.now(UTC),
            )
        )
        await uow.commit()

    await _apply(app, _received(owner, application_id, {"hukou_book": book}, [task]))

    assert await _grants(app, application_id) == [(task.task_id, "mps", old_book)]
