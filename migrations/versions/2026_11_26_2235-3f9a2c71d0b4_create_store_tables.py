"""Create the store tables of issue 4

Revision ID: 3f9a2c71d0b4
Revises:
Create Date: 2026-11-26 22:35:39.883298
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f9a2c71d0b4"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_entries",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("actor_id", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("aihc_request_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    op.create_index(
        "ix_audit_entries_workspace_at", "audit_entries", ["workspace_id", "at"], unique=False
    )

    op.create_table(
        "channel_settings",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("default_pool_id", sa.String(length=64), nullable=True),
        sa.Column("allowed_pool_ids", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "channel_id", name=op.f("pk_channel_settings")),
    )
    op.create_table(
        "event_series",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("job_id", sa.String(length=128), nullable=False),
        sa.Column("series_key", sa.String(length=64), nullable=False),
        sa.Column("pod_name", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.String(length=128), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("notified_occurrences", sa.Integer(), nullable=False),
        sa.Column("last_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_series")),
        sa.UniqueConstraint("pool_id", "job_id", "series_key", name="uq_event_series_job_series"),
    )
    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("dedup_key", sa.String(length=255), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("status_card_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sending_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.String(length=128), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_outbox_dedup_key")),
    )
    op.create_index("ix_outbox_channel_state", "outbox", ["channel_id", "state"], unique=False)
    op.create_index(
        "ix_outbox_state_next_attempt", "outbox", ["state", "next_attempt_at"], unique=False
    )

    op.create_table(
        "pool_sweeps",
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("next_sweep_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_swept_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("lease_owner", sa.String(length=128), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("pool_id", name=op.f("pk_pool_sweeps")),
    )
    op.create_index(
        op.f("ix_pool_sweeps_next_sweep_at"), "pool_sweeps", ["next_sweep_at"], unique=False
    )

    op.create_table(
        "replica_heartbeats",
        sa.Column("replica_id", sa.String(length=128), nullable=False),
        sa.Column("hostname", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("replica_id", name=op.f("pk_replica_heartbeats")),
    )
    op.create_index(
        op.f("ix_replica_heartbeats_last_seen_at"),
        "replica_heartbeats",
        ["last_seen_at"],
        unique=False,
    )

    op.create_table(
        "role_bindings",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("granted_by", sa.String(length=32), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "user_id", "role", name=op.f("pk_role_bindings")),
    )
    op.create_table(
        "status_cards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("job_id", sa.String(length=128), nullable=False),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_cards")),
        sa.UniqueConstraint("channel_id", "pool_id", "job_id", name="uq_status_cards_channel_job"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_ref", sa.String(length=128), nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("notify_status", sa.Boolean(), nullable=False),
        sa.Column("notify_events", sa.Boolean(), nullable=False),
        sa.Column("notify_logs", sa.Boolean(), nullable=False),
        sa.Column("state_filter", sa.JSON(), nullable=False),
        sa.Column("mention", sa.String(length=32), nullable=True),
        sa.Column("muted_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_reason", sa.String(length=255), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint(
            "workspace_id",
            "channel_id",
            "target_kind",
            "pool_id",
            "target_ref",
            name="uq_subscriptions_channel_target",
        ),
    )
    op.create_index(
        "ix_subscriptions_target",
        "subscriptions",
        ["target_kind", "pool_id", "target_ref"],
        unique=False,
    )

    op.create_table(
        "user_links",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("aihc_user_name", sa.String(length=128), nullable=False),
        sa.Column("linked_by", sa.String(length=32), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "slack_user_id", name=op.f("pk_user_links")),
    )
    op.create_index(
        "ix_user_links_aihc_user", "user_links", ["workspace_id", "aihc_user_name"], unique=False
    )

    op.create_table(
        "watched_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pool_id", sa.String(length=64), nullable=False),
        sa.Column("job_id", sa.String(length=128), nullable=False),
        sa.Column("job_name", sa.String(length=255), nullable=False),
        sa.Column("queue_name", sa.String(length=128), nullable=False),
        sa.Column("last_status", sa.String(length=32), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("events_cursor", sa.String(length=255), nullable=True),
        sa.Column("log_cursors", sa.JSON(), nullable=False),
        sa.Column("follow_logs", sa.Boolean(), nullable=False),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=128), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watched_jobs")),
        sa.UniqueConstraint("pool_id", "job_id", name="uq_watched_jobs_pool_job"),
    )
    op.create_index(
        op.f("ix_watched_jobs_next_poll_at"), "watched_jobs", ["next_poll_at"], unique=False
    )
    op.create_index(
        "ix_watched_jobs_pool_active", "watched_jobs", ["pool_id", "active"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_watched_jobs_pool_active", "watched_jobs")
    op.drop_index(op.f("ix_watched_jobs_next_poll_at"), "watched_jobs")

    op.drop_table("watched_jobs")
    op.drop_index("ix_user_links_aihc_user", "user_links")

    op.drop_table("user_links")
    op.drop_index("ix_subscriptions_target", "subscriptions")

    op.drop_table("subscriptions")
    op.drop_table("status_cards")
    op.drop_table("role_bindings")
    op.drop_index(op.f("ix_replica_heartbeats_last_seen_at"), "replica_heartbeats")

    op.drop_table("replica_heartbeats")
    op.drop_index(op.f("ix_pool_sweeps_next_sweep_at"), "pool_sweeps")

    op.drop_table("pool_sweeps")
    op.drop_index("ix_outbox_state_next_attempt", "outbox")
    op.drop_index("ix_outbox_channel_state", "outbox")

    op.drop_table("outbox")
    op.drop_table("event_series")
    op.drop_table("channel_settings")
    op.drop_index("ix_audit_entries_workspace_at", "audit_entries")

    op.drop_table("audit_entries")
