"""Issue 14's migration: existing subscriptions get their notice kinds, watched jobs an insight."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import create_engine, inspect, pool

from bot.domain import TargetKind
from bot.store import Store
from bot.store.engine import sync_url
from bot.store.migrate import downgrade, head_revision, upgrade
from bot.store.records import subscription_of

BEFORE = "8b1d4e6f2a93"
KINDS = ["notify_progress", "notify_hang", "notify_idle", "notify_pending"]
AT = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

SUBSCRIPTIONS = sa.table(
    "subscriptions",
    sa.column("workspace_id", sa.String()),
    sa.column("channel_id", sa.String()),
    sa.column("target_kind", sa.String()),
    sa.column("target_ref", sa.String()),
    sa.column("pool_id", sa.String()),
    sa.column("notify_status", sa.Boolean()),
    sa.column("notify_events", sa.Boolean()),
    sa.column("notify_logs", sa.Boolean()),
    sa.column("state_filter", sa.JSON()),
    sa.column("created_by", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
WATCHED = sa.table(
    "watched_jobs",
    sa.column("pool_id", sa.String()),
    sa.column("job_id", sa.String()),
    sa.column("job_name", sa.String()),
    sa.column("queue_name", sa.String()),
    sa.column("active", sa.Boolean()),
    sa.column("log_cursors", sa.JSON()),
    sa.column("follow_logs", sa.Boolean()),
    sa.column("error_count", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _subscription(kind: str, ref: str) -> dict[str, object]:
    return {
        "workspace_id": "T1",
        "channel_id": "C1",
        "target_kind": kind,
        "target_ref": ref,
        "pool_id": "pool-1",
        "notify_status": True,
        "notify_events": False,
        "notify_logs": True,
        "state_filter": ["Failed"],
        "created_by": "U1",
        "created_at": AT,
    }


def _seed(url: str) -> None:
    """Write a job, a queue and a pool subscription and a watched job, as the old schema had."""
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(
                SUBSCRIPTIONS.insert(),
                [
                    _subscription("job", "job-1"),
                    _subscription("queue", "research"),
                    _subscription("pool", "pool-1"),
                ],
            )
            connection.execute(
                WATCHED.insert(),
                [
                    {
                        "pool_id": "pool-1",
                        "job_id": "job-1",
                        "job_name": "train",
                        "queue_name": "research",
                        "active": True,
                        "log_cursors": {"pod-0": "42"},
                        "follow_logs": True,
                        "error_count": 0,
                        "created_at": AT,
                    }
                ],
            )
    finally:
        engine.dispose()


def _columns(url: str, table: str) -> set[str]:
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        return {column["name"] for column in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


async def _read(url: str) -> tuple[dict[str, tuple[str, ...]], list[dict[str, object]]]:
    """Read the seeded rows back through the store: each subscription's notices, the insights."""
    store = Store.from_url(url)
    try:
        async with store.transaction() as uow:
            rows = await uow.subscriptions.in_channel(workspace_id="T1", channel_id="C1")
            jobs = await uow.watched_jobs.get(pool_id="pool-1", job_id="job-1")
            notices = {row.target_kind.value: subscription_of(row).notices() for row in rows}
            return notices, [] if jobs is None else [jobs.insight, jobs.log_cursors]
    finally:
        await store.dispose()


async def test_existing_rows_get_the_defaults_of_their_kind(empty_database_url: str) -> None:
    assert upgrade(empty_database_url, BEFORE) == BEFORE
    _seed(empty_database_url)

    assert upgrade(empty_database_url) == head_revision()

    notices, watched = await _read(empty_database_url)
    kept = ("status", "logs")  # what each row had before is left as it was
    assert notices == {
        TargetKind.JOB.value: (*kept, "progress", "hang", "idle", "pending"),
        TargetKind.QUEUE.value: (*kept, "hang", "idle"),
        TargetKind.POOL.value: (*kept, "hang", "idle"),
    }
    assert watched == [{}, {"pod-0": "42"}]


async def test_downgrade_drops_the_columns_and_keeps_the_rows(empty_database_url: str) -> None:
    upgrade(empty_database_url, BEFORE)
    _seed(empty_database_url)
    upgrade(empty_database_url)

    assert downgrade(empty_database_url, BEFORE) == BEFORE

    assert not set(KINDS) & _columns(empty_database_url, "subscriptions")
    assert "insight" not in _columns(empty_database_url, "watched_jobs")
    engine = create_engine(sync_url(empty_database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            kinds = connection.execute(
                sa.select(SUBSCRIPTIONS.c.target_kind).order_by(SUBSCRIPTIONS.c.target_kind)
            ).scalars()
            assert list(kinds) == ["job", "pool", "queue"]
            assert connection.execute(sa.select(sa.func.count()).select_from(WATCHED)).scalar() == 1
    finally:
        engine.dispose()

    assert upgrade(empty_database_url) == head_revision()
    notices, _ = await _read(empty_database_url)
    assert notices["queue"] == ("status", "logs", "hang", "idle")
    assert notices["job"] == ("status", "logs", "progress", "hang", "idle", "pending")
