"""Store queries the watcher needs beyond the shared repositories; they never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Job
from bot.store import TargetKind
from bot.store.tables import (
    SubscriptionRow,
    WatchedJobRow,
)
from bot.store.upsert import insert_or_ignore
from bot.watch.observe import NEWS


async def make_due(
    session: AsyncSession, *, pool_id: str, job_ids: Sequence[str], now: datetime
) -> None:
    """Make active watched jobs due now (the sweep saw them change or miss from the list)."""
    if not job_ids:
        return
    stmt = (
        update(WatchedJobRow)
        .where(WatchedJobRow.pool_id == pool_id, WatchedJobRow.job_id.in_(list(job_ids)))
        .values(next_poll_at=now, active=True)
        .execution_options(synchronize_session=False)
    )
    await session.execute(stmt)


async def follow_subscriptions(session: AsyncSession, *, pool_id: str) -> list[SubscriptionRow]:
    """Return the pool's queue and pool subscriptions that are not paused."""
    stmt = select(SubscriptionRow).where(
        SubscriptionRow.pool_id == pool_id,
        SubscriptionRow.target_kind.in_([TargetKind.QUEUE, TargetKind.POOL]),
        SubscriptionRow.paused_reason.is_(None),
    )
    return list((await session.scalars(stmt)).all())


async def watch_found(
    session: AsyncSession, found: Sequence[tuple[Job, bool]], *, now: datetime
) -> None:
    """Watch jobs a queue or pool subscription covers, due now; the flag marks a new job."""
    rows = [
        {
            "pool_id": job.pool_id,
            "job_id": job.id,
            "job_name": job.name[:255],
            "queue_name": job.queue[:128],
            "next_poll_at": now,
            "created_at": now,
            "log_cursors": {NEWS: True} if news else {},
        }
        for job, news in found
    ]
    await insert_or_ignore(session, WatchedJobRow, rows, conflict=["pool_id", "job_id"])
