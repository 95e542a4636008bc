"""The sweep tick: per pool, one walk of the job list newest first gives every status.

The walk stops at the oldest still-active watched job (and, for queue or pool subscriptions,
once it reaches jobs older than the last sweep), so a quiet cycle costs one or a few list calls
per pool. Jobs whose status differs from what was last seen, and watched jobs missing from the
list, are made due for the poll tick, which fetches their details.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.domain import Job, JobStatus
from bot.store import Store, lease_of
from bot.store.enums import TargetKind
from bot.store.tables import PoolSweepRow, SubscriptionRow, WatchedJobRow
from bot.watch import queries
from bot.watch.config import WatchConfig
from bot.watch.observe import TENTATIVE
from bot.watch.timing import backoff, jittered, sweep_interval

logger = logging.getLogger(__name__)
POOLS_PER_TICK = 20
MAX_PAGES = 200
# A job created just before the last sweep may have been listed after it: look a little further.
OVERLAP = timedelta(minutes=2)


@dataclass
class Walk:
    """What one pool's walk found."""

    due: list[str] = field(default_factory=list)
    new: list[tuple[Job, bool]] = field(default_factory=list)
    """Jobs seen for the first time, and whether they are news (not a subscription's baseline)."""
    statuses: list[JobStatus] = field(default_factory=list)


@dataclass
class Sweeper:
    """Sweep the pools that are due, each under a lease."""

    store: Store
    aihc: AihcClient
    config: WatchConfig

    async def tick(self, now: datetime) -> int:
        """Schedule new pools, then sweep the due ones; return how many were swept."""
        ttl = timedelta(seconds=self.config.settings.lease_seconds)
        async with self.store.transaction() as uow:
            pools = await uow.subscriptions.following_pools()
            await uow.pool_sweeps.ensure(pool_ids=pools, now=now)
            claimed = await uow.pool_sweeps.claim_due(
                owner=self.config.replica_id,
                now=now,
                ttl=ttl,
                limit=min(POOLS_PER_TICK, self.config.settings.batch),
            )
        await asyncio.gather(*(self._sweep(row, now) for row in claimed))
        return len(claimed)

    async def _sweep(self, sweep: PoolSweepRow, now: datetime) -> None:
        pool = sweep.pool_id
        async with self.store.transaction() as uow:
            active = await uow.watched_jobs.active_in_pool(pool_id=pool)
            follows = await queries.follow_subscriptions(uow.session, pool_id=pool)
        try:
            walk = await self._walk(pool, active, follows, sweep.last_swept_at)
            walk.new = [(job, _is_news(job, follows, sweep.last_swept_at)) for job, _ in walk.new]
        except AihcError as error:
            wait = backoff(self.config.poll_interval, sweep.error_count + 1)
            async with self.store.transaction() as uow:
                await uow.pool_sweeps.finish(
                    pool,
                    lease_of(sweep),
                    swept_at=now,
                    next_sweep_at=jittered(now, wait),
                    error=type(error).__name__,
                )
            return
        base = self.config.poll_interval
        wait = sweep_interval(base, walk.statuses, changed=bool(walk.due))
        async with self.store.transaction() as uow:
            await queries.watch_found(uow.session, walk.new, now=now)
            # A running job a follower left behind (a paused channel) is picked up again.
            running = [job.id for job, _ in walk.new if not job.status.is_terminal]
            await queries.make_due(uow.session, pool_id=pool, job_ids=running, now=now)
            await queries.make_due(uow.session, pool_id=pool, job_ids=walk.due, now=now)
            await uow.pool_sweeps.finish(
                pool, lease_of(sweep), swept_at=now, next_sweep_at=jittered(now, wait)
            )

    async def _walk(
        self,
        pool: str,
        active: list[WatchedJobRow],
        follows: list[SubscriptionRow],
        last_swept: datetime | None,
    ) -> Walk:
        walk = Walk()
        watched = {row.job_id: row for row in active}
        missing = set(watched)
        horizon = (last_swept - OVERLAP) if last_swept else None
        if not missing and not follows:
            return walk
        pages = 0
        async for page in self.aihc.job_pages(pool):
            pages += 1
            for job in page.items:
                self._visit(job, watched, missing, follows, walk)
            oldest = min((j.created_at for j in page.items if j.created_at), default=None)
            reached = not follows or horizon is None or (oldest is not None and oldest < horizon)
            if (not missing and reached) or pages >= MAX_PAGES:
                break
        walk.due += sorted(missing)
        return walk

    @staticmethod
    def _visit(
        job: Job,
        watched: dict[str, WatchedJobRow],
        missing: set[str],
        follows: list[SubscriptionRow],
        walk: Walk,
    ) -> None:
        row = watched.get(job.id)
        if row is not None:
            missing.discard(job.id)
            walk.statuses.append(job.status)
            pending = (row.log_cursors or {}).get(TENTATIVE)
            if job.status.value != row.last_status or pending or row.last_status is None:
                walk.due.append(job.id)
            return
        if any(_covers(sub, job) for sub in follows):
            walk.new.append((job, False))


def _covers(sub: SubscriptionRow, job: Job) -> bool:
    if sub.target_kind is TargetKind.POOL:
        return True
    return sub.target_kind is TargetKind.QUEUE and sub.target_ref == job.queue


def _is_news(job: Job, follows: list[SubscriptionRow], last_swept: datetime | None) -> bool:
    """A job is news to a subscription that an earlier sweep already took its baseline for."""
    return last_swept is not None and any(
        _covers(sub, job) and sub.created_at <= last_swept for sub in follows
    )
