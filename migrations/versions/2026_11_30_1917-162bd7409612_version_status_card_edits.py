"""Version status card edits, so an older edit of a card never lands after a newer one

Revision ID: 162bd7409612
Revises: 3f9a2c71d0b4
Create Date: 2026-11-30 19:17:36.151900
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "162bd7409612"
down_revision: str | Sequence[str] | None = "3f9a2c71d0b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card_version", sa.Integer(), nullable=True))

    with op.batch_alter_table("status_cards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("shown_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("status_cards", schema=None) as batch_op:
        batch_op.drop_column("shown_version")
        batch_op.drop_column("version")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("card_version")
