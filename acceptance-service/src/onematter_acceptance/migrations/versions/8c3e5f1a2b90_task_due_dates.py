"""task due dates: the item's 补正 / 容缺 terms and the due-date round's columns (issue 15)

Tasks accepted before this revision get the default terms (``{}``) and no due dates, so the round leaves
them alone; their 补正 requests made from now on get a due date as before.

Revision ID: 8c3e5f1a2b90
Revises: 5d1e9a4c7b20
Create Date: 2026-12-01 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c3e5f1a2b90"
down_revision: str | None = "5d1e9a4c7b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "acceptance_tasks"


def upgrade() -> None:
    op.add_column(_TABLE, sa.Column("terms", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column(_TABLE, sa.Column("supplement_due_on", sa.Date(), nullable=True))
    op.add_column(_TABLE, sa.Column("supplement_reminded", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column(_TABLE, sa.Column("deferral_dues", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column(_TABLE, sa.Column("deferral_due", sa.Date(), nullable=True))
    op.add_column(_TABLE, sa.Column("deferral_reminded", sa.Boolean(), nullable=False, server_default="0"))
    op.create_index("ix_acceptance_tasks_supplement_due_on", _TABLE, ["supplement_due_on"])
    op.create_index("ix_acceptance_tasks_deferral_due", _TABLE, ["deferral_due"])


def downgrade() -> None:
    op.drop_index("ix_acceptance_tasks_deferral_due", table_name=_TABLE)
    op.drop_index("ix_acceptance_tasks_supplement_due_on", table_name=_TABLE)
    for column in (
        "deferral_reminded",
        "deferral_due",
        "deferral_dues",
        "supplement_reminded",
        "supplement_due_on",
        "terms",
    ):
        op.drop_column(_TABLE, column)
