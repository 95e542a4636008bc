"""Remember where a pool's walk may stop: the horizon and the newest job seen (issue 11)

Revision ID: 8b1d4e6f2a93
Revises: 162bd7409612
Create Date: 2026-11-30 19:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8b1d4e6f2a93"
down_revision: str | Sequence[str] | None = "162bd7409612"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    # Both start NULL: each pool's first sweep after the upgrade walks its whole job list.
    with op.batch_alter_table("pool_sweeps") as batch:
        batch.add_column(sa.Column("horizon_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("newest_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("pool_sweeps") as batch:
        batch.drop_column("newest_at")
        batch.drop_column("horizon_at")
