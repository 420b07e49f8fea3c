"""Alembic environment of the acceptance service (its own database, its own history)."""

# registers the delegations and the calendar notices tables on the metadata
from onematter_acceptance.adapters import delegation_tables, notice_tables  # noqa: F401
from onematter_acceptance.adapters.tables import metadata
from onematter_kit.migrations import run_alembic_env

run_alembic_env(metadata)
