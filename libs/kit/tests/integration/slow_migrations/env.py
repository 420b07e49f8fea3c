"""Alembic environment of a one-migration history that takes seconds (replicas starting together)."""

from onematter_kit.migrations import run_alembic_env
from sqlalchemy import MetaData

run_alembic_env(MetaData())
