"""Composition root of the material service: ``create_app(settings)``; nothing is built at import time."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from onematter_kit.runtime import ServiceRuntime, create_service_app
from onematter_material.config import MaterialSettings

__all__ = ["create_app", "MIGRATIONS"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: MaterialSettings | None = None) -> FastAPI:
    settings = settings or MaterialSettings()
    runtime = ServiceRuntime(settings=settings, migrations=MIGRATIONS)
    return create_service_app(runtime, title="OneMatter material service", routers=[])
