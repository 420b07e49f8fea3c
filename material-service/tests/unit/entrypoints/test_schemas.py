"""Answers show instants in China Standard Time (``+08:00``), whatever zone they were stored in."""

from __future__ import annotations

from datetime import UTC, datetime

from onematter_material.adapters.tables import AccessLogEntry, Material
from onematter_material.entrypoints.schemas import AccessLogEntryPublic, MaterialPublic

INSTANT = datetime(2026, 11, 30, 20, 4, 52, tzinfo=UTC)


def test_a_material_created_at_2026_11_30T20_04_52Z_answers_2026_12_01T04_04_52_0800() -> None:
    row = Material(
        id="m1",
        owner_id="p",
        material_type="id_card",
        blob_sha256="0" * 64,
        size=1,
        media_type="application/pdf",
        file_name="a.pdf",
        created_at=INSTANT,
    )
    assert MaterialPublic.of(row).model_dump(mode="json")["created_at"] == "2026-12-01T04:04:52+08:00"


def test_an_access_log_entry_answers_in_0800() -> None:
    row = AccessLogEntry(
        owner_id="p",
        material_id="m1",
        material_type="id_card",
        reader_id="o",
        action="content",
        read_at=INSTANT,
    )
    answer = AccessLogEntryPublic.model_validate(row).model_dump(mode="json")
    assert answer["read_at"] == "2026-12-01T04:04:52+08:00"
