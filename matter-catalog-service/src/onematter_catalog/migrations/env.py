"""Alembic environment of the matter-catalog service (its own database, its own history)."""

from onematter_catalog.adapters.tables import metadata
from onematter_kit.migrations import run_alembic_env

run_alembic_env(metadata)
