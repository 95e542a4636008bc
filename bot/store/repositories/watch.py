"""Repositories of watched jobs and pool sweeps: the watcher's work, handed out under leases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store import leases
from bot.store.leases import Lease
from bot.store.tables import PoolSweepRow, WatchedJobRow
from bot.store.upsert import insert_or_ignore

INSIGHT_CHUNK = 500
"""Job ids asked for in one statement."""


class ActiveState(NamedTuple):
    """What a sweep needs of an active watched job: its id, last status and cursors."""

    job_id: str
    last_status: str | None
    log_cursors: dict[str, Any] | None


class SeenJob(NamedTuple):
    """A finished job a sweep saw and has nothing to tell about."""

    pool_id: str
    job_id: str
    job_name: str
    queue_name: str
    status: str


class FoundJob(NamedTuple):
    """An open job a queue or pool subscription covers, to watch from now on."""

    pool_id: str
    job_id: str
    job_name: str
    queue_name: str
    cursors: dict[str, Any]
    """The watcher's opening `log_cursors` (it marks a job that is news)."""


@dataclass(frozen=True, slots=True)
class SweepBounds:
    """Where a pool's next walk may stop (`PoolSweepRow.horizon_at`, `newest_at`)."""

    horizon_at: datetime | None
    newest_at: datetime | None


class WatchedJobRepository:
    """Track the jobs someone follows and lease the due ones to one replica at a time."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def watch(
        self,
        *,
        pool_id: str,
        job_id: str,
        now: datetime,
        job_name: str = "",
        queue_name: str = "",
        follow_logs: bool = False,
    ) -> bool:
        """Start watching a job, due at once; return False if it was already watched."""
        row = {
            "pool_id": pool_id,
            "job_id": job_id,
            "job_name": job_name,
            "queue_name": queue_name,
            "follow_logs": follow_logs,
            "next_poll_at": now,
            "created_at": now,
        }
        conflict = ["pool_id", "job_id"]
        return await insert_or_ignore(self.session, WatchedJobRow, row, conflict=conflict) == 1

    async def watch_now(
        self,
        *,
        pool_id: str,
        job_id: str,
        now: datetime,
        job_name: str = "",
        queue_name: str = "",
        follow_logs: bool = False,
    ) -> None:
        """Watch a job, due now; an already watched (even finished) job is looked at again."""
        added = await self.watch(
            pool_id=pool_id,
            job_id=job_id,
            now=now,
            job_name=job_name,
            queue_name=queue_name,
            follow_logs=follow_logs,
        )
        if added:
            return
        values: dict[str, object] = {"next_poll_at": now, "active": True}
        if follow_logs:
            values["follow_logs"] = True
        stmt = (
            update(WatchedJobRow)
            .where(WatchedJobRow.pool_id == pool_id, WatchedJobRow.job_id == job_id)
            .values(values)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(stmt)

    async def get(self, *, pool_id: str, job_id: str) -> WatchedJobRow | None:
        """Return a watched job as the database has it now."""
        stmt = (
            select(WatchedJobRow)
            .where(WatchedJobRow.pool_id == pool_id, WatchedJobRow.job_id == job_id)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def active_in_pool(self, *, pool_id: str) -> list[WatchedJobRow]:
        """Return the pool's watched jobs that are not finished, oldest first (for a sweep)."""
        stmt = (
            select(WatchedJobRow)
            .where(WatchedJobRow.pool_id == pool_id, WatchedJobRow.active.is_(True))
            .order_by(WatchedJobRow.created_at, WatchedJobRow.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def active_states(self, *, pool_id: str) -> list[ActiveState]:
        """Return the id, last status and cursors of the pool's active watched jobs."""
        stmt = select(
            WatchedJobRow.job_id, WatchedJobRow.last_status, WatchedJobRow.log_cursors
        ).where(WatchedJobRow.pool_id == pool_id, WatchedJobRow.active.is_(True))
        result = await self.session.execute(stmt)
        return [ActiveState(*row) for row in result.all()]

    async def watch_found(self, jobs: Sequence[FoundJob], *, now: datetime) -> int:
        """Watch jobs a sweep found, due now; keep rows that exist; count the new ones."""
        rows: list[dict[str, Any]] = [
            {
                "pool_id": job.pool_id,
                "job_id": job.job_id,
                "job_name": job.job_name,
                "queue_name": job.queue_name,
                "next_poll_at": now,
                "created_at": now,
                "log_cursors": job.cursors,
            }
            for job in jobs
        ]
        return await insert_or_ignore(
            self.session, WatchedJobRow, rows, conflict=["pool_id", "job_id"]
        )

    async def make_due(self, *, pool_id: str, job_ids: Sequence[str], now: datetime) -> None:
        """Make watched jobs active and due now (a sweep saw them change or miss from the list)."""
        if not job_ids:
            return
        stmt = (
            update(WatchedJobRow)
            .where(WatchedJobRow.pool_id == pool_id, WatchedJobRow.job_id.in_(list(job_ids)))
            .values(next_poll_at=now, active=True)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(stmt)

    async def record_seen(self, jobs: Sequence[SeenJob], *, now: datetime) -> int:
        """Record finished jobs as seen and done, never due; keep rows that exist; count new."""
        rows: list[dict[str, Any]] = [
            {
                "pool_id": job.pool_id,
                "job_id": job.job_id,
                "job_name": job.job_name,
                "queue_name": job.queue_name,
                "last_status": job.status,
                "status_changed_at": now,
                "active": False,
                "next_poll_at": None,
                "last_polled_at": now,
                "created_at": now,
                "log_cursors": {},
            }
            for job in jobs
        ]
        return await insert_or_ignore(
            self.session, WatchedJobRow, rows, conflict=["pool_id", "job_id"]
        )

    async def claim_due(
        self, *, owner: str, now: datetime, ttl: timedelta, limit: int
    ) -> list[WatchedJobRow]:
        """Lease up to `limit` jobs whose next poll is due, most overdue first."""
        return await leases.claim_due(
            self.session,
            WatchedJobRow,
            due=WatchedJobRow.next_poll_at <= now,
            order_by=[WatchedJobRow.next_poll_at, WatchedJobRow.id],
            owner=owner,
            now=now,
            ttl=ttl,
            limit=limit,
        )

    async def save(self, row_id: int, lease: Lease, values: Mapping[str, Any]) -> None:
        """Write what a poll found while still holding the lease (`LeaseLostError` otherwise)."""
        await leases.write_fenced(self.session, WatchedJobRow, row_id, lease, values)

    async def finish(self, row_id: int, lease: Lease, values: Mapping[str, Any]) -> None:
        """Write a poll's results and give the lease up, so the next due time decides who polls."""
        await leases.release(self.session, WatchedJobRow, row_id, lease, values)

    async def insights(self, *, pool_id: str, job_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Return what the watcher learnt of each of these jobs it follows (read only), by id."""
        found: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(job_ids))
        # In chunks: SQLite caps the parameters of one statement.
        for at in range(0, len(ids), INSIGHT_CHUNK):
            stmt = select(WatchedJobRow.job_id, WatchedJobRow.insight).where(
                WatchedJobRow.pool_id == pool_id,
                WatchedJobRow.job_id.in_(ids[at : at + INSIGHT_CHUNK]),
            )
            found.update((job_id, insight) for job_id, insight in await self.session.execute(stmt))
        return {job_id: insight for job_id, insight in found.items() if insight}


class PoolSweepRepository:
    """Schedule each pool's job-list sweep and lease it to one replica at a time."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def ensure(self, *, pool_ids: Sequence[str], now: datetime) -> int:
        """Schedule a sweep, due now, for each pool that has none; return how many were new."""
        rows = [{"pool_id": pool_id, "next_sweep_at": now} for pool_id in pool_ids]
        return await insert_or_ignore(self.session, PoolSweepRow, rows, conflict=["pool_id"])

    async def get(self, *, pool_id: str) -> PoolSweepRow | None:
        """Return a pool's sweep as the database has it now."""
        stmt = (
            select(PoolSweepRow)
            .where(PoolSweepRow.pool_id == pool_id)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def claim_due(
        self, *, owner: str, now: datetime, ttl: timedelta, limit: int
    ) -> list[PoolSweepRow]:
        """Lease up to `limit` pools whose sweep is due, most overdue first."""
        return await leases.claim_due(
            self.session,
            PoolSweepRow,
            due=PoolSweepRow.next_sweep_at <= now,
            order_by=[PoolSweepRow.next_sweep_at, PoolSweepRow.pool_id],
            owner=owner,
            now=now,
            ttl=ttl,
            limit=limit,
        )

    async def finish(
        self,
        pool_id: str,
        lease: Lease,
        *,
        swept_at: datetime,
        next_sweep_at: datetime,
        error: str | None = None,
        bounds: SweepBounds | None = None,
    ) -> None:
        """Record a sweep's outcome, its next due time and its bounds; give the lease up."""
        values: dict[str, Any] = {"next_sweep_at": next_sweep_at, "last_error": error}
        if bounds is not None:
            values.update(horizon_at=bounds.horizon_at, newest_at=bounds.newest_at)
        if error is None:
            values.update(last_swept_at=swept_at, error_count=0)
        else:
            values["error_count"] = PoolSweepRow.error_count + 1
        await leases.release(self.session, PoolSweepRow, pool_id, lease, values)
