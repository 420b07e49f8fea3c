"""Guards for the time rules of issue 15: one clock, and no timestamp without an offset in any answer.

* Production code never reads the system clock by itself: ``datetime.now()``, ``datetime.today()``,
  ``date.today()`` and ``datetime.utcnow()`` appear only in ``libs/clock`` (the one clock). Epoch seconds for
  token expiry (``time.time()``, RFC 7519 ``exp``) are not dates and stay allowed.
* Every date-time in every service's OpenAPI is a ``ChinaTime`` (RFC 3339 with offset, written in +08:00):
  a plain ``datetime`` field in an answer would let a naive value through.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLOCK = ROOT / "libs" / "clock"
FORBIDDEN = {("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"), ("date", "today")}
CHINA_TIME_MARK = "China Standard Time"
SERVICES = {
    "matter-catalog": ("onematter_catalog", "CatalogSettings"),
    "acceptance": ("onematter_acceptance", "AcceptanceSettings"),
    "material": ("onematter_material", "MaterialSettings"),
    "notification": ("onematter_notification", "NotificationSettings"),
}


def _production_sources() -> Iterator[Path]:
    for tree in [*ROOT.glob("*-service/src"), ROOT / "gateway" / "src", *ROOT.glob("libs/*/src")]:
        for path in tree.rglob("*.py"):
            if not path.is_relative_to(CLOCK):
                yield path


def _system_clock_reads(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name, node.func.attr) in FORBIDDEN:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {name}.{node.func.attr}()")
    return found


def test_no_production_code_reads_the_system_clock_outside_the_clock() -> None:
    offenders = [hit for path in _production_sources() for hit in _system_clock_reads(path)]
    assert not offenders, "take now/today from the injected clock:\n" + "\n".join(offenders)


def test_the_guard_sees_a_planted_read_of_the_system_clock(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("import datetime\nx = datetime.date.today()\ny = datetime.datetime.now(tz=None)\n")
    assert len(_system_clock_reads(planted, root=tmp_path)) == 2


def _date_times(schema: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(schema, dict):
        if schema.get("format") == "date-time":
            yield where, schema
        for key, value in schema.items():
            yield from _date_times(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _date_times(value, f"{where}/{index}")


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_timestamp_a_service_answers_carries_the_china_offset(service: str, tmp_path: Path) -> None:
    package, settings_class = SERVICES[service]
    settings = getattr(importlib.import_module(f"{package}.config"), settings_class)(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/{service}.db", kafka_enabled=False, run_workers=False
    )
    document = importlib.import_module(f"{package}.entrypoints.app").create_app(settings).openapi()
    schemas = document.get("components", {}).get("schemas", {})
    plain = [where for where, s in _date_times(schemas) if CHINA_TIME_MARK not in s.get("description", "")]
    assert not plain, f"{service}: date-times that are not ChinaTime: {plain}"
