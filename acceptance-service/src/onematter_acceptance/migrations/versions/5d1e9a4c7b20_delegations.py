"""delegations (委托, 帮办代办)

Revision ID: 5d1e9a4c7b20
Revises: 21f26c925fc5
Create Date: 2026-11-30 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d1e9a4c7b20"
down_revision: str | None = "21f26c925fc5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "acceptance_delegations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("applicant_id", sa.String(length=128), nullable=False),
        sa.Column("delegate_id", sa.String(length=128), nullable=False),
        sa.Column("matter_codes", sa.JSON(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("confirmed_by", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("identity_check", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("acceptance_delegations", schema=None) as batch_op:
        batch_op.create_index("ix_acceptance_delegations_applicant_id", ["applicant_id"], unique=False)
        batch_op.create_index("ix_acceptance_delegations_delegate_id", ["delegate_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("acceptance_delegations", schema=None) as batch_op:
        batch_op.drop_index("ix_acceptance_delegations_delegate_id")
        batch_op.drop_index("ix_acceptance_delegations_applicant_id")
    op.drop_table("acceptance_delegations")
