"""Switch the training insights per subscription, and keep what the watcher learns (issue 14)

Revision ID: 8be76c9ea1a0
Revises: 8b1d4e6f2a93
Create Date: 2026-12-01 01:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8be76c9ea1a0"
down_revision: str | Sequence[str] | None = "8b1d4e6f2a93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = ("notify_progress", "notify_hang", "notify_idle", "notify_pending")


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        for name in _KINDS:
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.true(), nullable=False)
            )

    # A queue or a pool covers many jobs: progress and "why it waits" stay off there, as for a
    # new subscription of theirs.
    subscriptions = sa.table(
        "subscriptions",
        sa.column("target_kind", sa.String()),
        sa.column("notify_progress", sa.Boolean()),
        sa.column("notify_pending", sa.Boolean()),
    )
    op.execute(
        subscriptions.update()
        .where(subscriptions.c.target_kind != "job")
        .values(notify_progress=False, notify_pending=False)
    )

    with op.batch_alter_table("watched_jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("insight", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("watched_jobs", schema=None) as batch_op:
        batch_op.drop_column("insight")

    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        for name in reversed(_KINDS):
            batch_op.drop_column(name)
