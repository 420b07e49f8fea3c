"""Alembic environment of the material service (its own database, its own history)."""

from onematter_kit.migrations import run_alembic_env
from onematter_material.adapters.tables import metadata

run_alembic_env(metadata)
