"""Alembic environment for the kit's own tests: a service database with only the kit's tables."""

from onematter_kit.migrations import run_alembic_env
from onematter_kit.tables import OutboxMessage

run_alembic_env(OutboxMessage.metadata)
