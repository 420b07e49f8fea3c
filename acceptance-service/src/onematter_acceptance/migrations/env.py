"""Alembic environment of the acceptance service (its own database, its own history)."""

import onematter_acceptance.adapters.delegation_tables  # noqa: F401 — registers the delegations table
from onematter_acceptance.adapters.tables import metadata
from onematter_kit.migrations import run_alembic_env

run_alembic_env(metadata)
