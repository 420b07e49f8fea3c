"""Alembic environment of the hotline service (its own database, its own history)."""

from onematter_hotline.adapters.tables import metadata
from onematter_kit.migrations import run_alembic_env

run_alembic_env(metadata)
