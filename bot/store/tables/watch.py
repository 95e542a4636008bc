"""Tables the watcher works from: subscriptions, watched jobs, pool sweeps, cards, event series."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.base import Base, LeaseMixin, StrEnumType, UTCDateTime
from bot.store.enums import TargetKind
from bot.store.tables.admin import SLACK_ID

# AIHC job ids look like `pytorchjob-1a2b…`; names may be longer, so both get generous widths.
JOB_ID = 128
POOL_ID = 64


class SubscriptionRow(Base):
    """A channel following a job, a queue or a pool, with what to notify and how."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id",
            "channel_id",
            "target_kind",
            "pool_id",
            "target_ref",
            name="uq_subscriptions_channel_target",
        ),
        Index("ix_subscriptions_target", "target_kind", "pool_id", "target_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    target_kind: Mapped[TargetKind] = mapped_column(StrEnumType(TargetKind))
    # The job id, the queue name or the pool id; queues are only unique within their pool.
    target_ref: Mapped[str] = mapped_column(String(JOB_ID))
    pool_id: Mapped[str] = mapped_column(String(POOL_ID))
    notify_status: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_events: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_logs: Mapped[bool] = mapped_column(Boolean, default=False)
    # The training insights (issue 14); queue and pool subscriptions start with progress and
    # pending off, which `default_notices` decides, not these defaults.
    notify_progress: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_hang: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_idle: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    notify_pending: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Job statuses worth a notice; empty means every transition.
    state_filter: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "owner", a Slack user id, or nothing.
    mention: Mapped[str | None] = mapped_column(String(SLACK_ID))
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_reason: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WatchedJobRow(LeaseMixin, Base):
    """A job someone follows: what was last seen of it and when to look again."""

    __tablename__ = "watched_jobs"
    __table_args__ = (
        UniqueConstraint("pool_id", "job_id", name="uq_watched_jobs_pool_job"),
        Index("ix_watched_jobs_pool_active", "pool_id", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pool_id: Mapped[str] = mapped_column(String(POOL_ID))
    job_id: Mapped[str] = mapped_column(String(JOB_ID))
    job_name: Mapped[str] = mapped_column(String(255), default="")
    queue_name: Mapped[str] = mapped_column(String(128), default="")
    last_status: Mapped[str | None] = mapped_column(String(32))
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # False once the job is terminal and its final notice is out: it then costs nothing.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Opaque positions of the last event and of each pod's log seen, owned by the watcher.
    events_cursor: Mapped[str | None] = mapped_column(String(255))
    log_cursors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the watcher has learnt of the training (progress, hang and idle episodes), its own.
    insight: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    follow_logs: Mapped[bool] = mapped_column(Boolean, default=False)
    # NULL means never due again.
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PoolSweepRow(LeaseMixin, Base):
    """One pool's job-list sweep: when it is next due and how the last one went."""

    __tablename__ = "pool_sweeps"

    pool_id: Mapped[str] = mapped_column(String(POOL_ID), primary_key=True)
    next_sweep_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_swept_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # AIHC's createdAt of the oldest job not surely finished at the last complete walk: older
    # jobs can no longer change. NULL: unknown, so the next walk goes to the end of the list.
    horizon_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The newest createdAt complete walks saw; finished jobs from just before it on may be news.
    newest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StatusCardRow(Base):
    """The one status card of a job in a channel; its `ts` keeps threading across restarts."""

    __tablename__ = "status_cards"
    __table_args__ = (
        UniqueConstraint("channel_id", "pool_id", "job_id", name="uq_status_cards_channel_job"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    pool_id: Mapped[str] = mapped_column(String(POOL_ID))
    job_id: Mapped[str] = mapped_column(String(JOB_ID))
    # NULL until the first post succeeds.
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    # Hash of the last rendered card, so an unchanged card is not edited again.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # Each edit queued takes the next version; Slack shows `shown_version`. An edit whose version
    # is not above it is stale and never sent.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    shown_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventSeriesRow(Base):
    """A repeating AIHC event of a job (same pod, reason and message), folded into one notice."""

    __tablename__ = "event_series"
    __table_args__ = (
        UniqueConstraint("pool_id", "job_id", "series_key", name="uq_event_series_job_series"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pool_id: Mapped[str] = mapped_column(String(POOL_ID))
    job_id: Mapped[str] = mapped_column(String(JOB_ID))
    series_key: Mapped[str] = mapped_column(String(64))
    pod_name: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str] = mapped_column(String(128), default="")
    event_type: Mapped[str] = mapped_column(String(32), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    notified_occurrences: Mapped[int] = mapped_column(Integer, default=0)
    last_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReplicaHeartbeatRow(Base):
    """A running bot process, so replicas can see who is alive."""

    __tablename__ = "replica_heartbeats"

    replica_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[str] = mapped_column(String(32), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
