"""The sweep tick: per pool, one walk of the job list newest first gives every status.

A pool's walk goes down to the oldest job that was still open at the last complete walk (older
ones had all finished, and finished jobs stay finished) and on until every active watched job
was found; a pool never walked completely is walked to the end. So every job a subscription
covers is seen every cycle, and a quiet cycle costs the pages down to the pool's oldest open
job. `bot.watch.walk` holds the stopping rule and why it is sound. Where the client lists jobs
of one status (AIHC v2), a pool is swept by status instead when that costs fewer calls: the top
pages, then one walk per active status (`bot.watch.by_status` says why it sees what the walk
sees; `bot.watch.sweep_choice` how it is chosen). Jobs whose status differs from what was last
seen, and watched jobs missing from the list, are made due for the poll tick, which fetches
their details.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.aihc.paging import FetchPage, iter_pages
from bot.domain import MANAGED_POOLS, Job, JobStatus, Page
from bot.domain.clock import Clock
from bot.store import Store, lease_of
from bot.store.keeper import LeaseKeeper
from bot.store.repositories.watch import FoundJob, SeenJob, SweepBounds
from bot.store.tables import PoolSweepRow, SubscriptionRow
from bot.watch.by_status import ACTIVE, StatusWalker
from bot.watch.config import WatchConfig
from bot.watch.observe import NEWS
from bot.watch.sweep_choice import Seen, after_status_sweep, after_walk, by_status
from bot.watch.timing import backoff, jittered, sweep_interval
from bot.watch.walk import Bounds, Walk, Walker, Watched

logger = logging.getLogger(__name__)
POOLS_PER_TICK = 20
MAX_PAGES = 200
# Rows written per statement: SQLite allows 32,766 bound parameters in one.
CHUNK = 500
JITTER = 0.05
T = TypeVar("T")


@dataclass
class Sweeper:
    """Sweep the pools that are due, each under a lease."""

    store: Store
    aihc: AihcClient
    config: WatchConfig
    clock: Clock
    seen: dict[str, Seen] = field(default_factory=dict)
    """What the last sweep of each pool by this replica saw, to choose how to sweep it next."""

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
        if not claimed:
            return 0
        # A walk of many pages can outlast the lease it started with: keep it while walking.
        async with LeaseKeeper(self.store, PoolSweepRow, claimed, ttl=ttl, clock=self.clock):
            await asyncio.gather(*(self._sweep(row, now) for row in claimed))
        return len(claimed)

    async def _sweep(self, sweep: PoolSweepRow, now: datetime) -> None:
        pool = sweep.pool_id
        async with self.store.transaction() as uow:
            active = await uow.watched_jobs.active_states(pool_id=pool)
            follows = await uow.subscriptions.following_in_pool(pool_id=pool)
        watched = {a.job_id: Watched(a.last_status, a.log_cursors or {}) for a in active}
        bounds = Bounds(sweep.horizon_at, sweep.newest_at)
        start = (bounds, watched, follows, sweep.last_swept_at)
        filtered = self._by_status(pool, watched, follows)
        try:
            if filtered:
                walk = await self._walk_by_status(pool, StatusWalker(*start))
            else:
                walk = await self._walk(pool, Walker(*start))
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
        self._remember(pool, walk, follows, filtered)
        await self._record(sweep, walk, now)

    def _by_status(
        self, pool: str, watched: dict[str, Watched], follows: Sequence[SubscriptionRow]
    ) -> bool:
        """Say whether to sweep the pool by status (a managed pool is listed queue by queue)."""
        if not self.aihc.filters_job_status or pool in MANAGED_POOLS:
            return False
        return by_status(self.seen.get(pool), watched, follows)

    def _remember(
        self, pool: str, walk: Walk, follows: Sequence[SubscriptionRow], filtered: bool
    ) -> None:
        if not self.aihc.filters_job_status or not walk.pages:
            return
        seen = self.seen.get(pool)
        if filtered and seen is not None:
            self.seen[pool] = after_status_sweep(seen, walk, follows)
        else:
            self.seen[pool] = after_walk(walk, follows)

    async def _record(self, sweep: PoolSweepRow, walk: Walk, now: datetime) -> None:
        """Watch what the walk found, make changed jobs due, and keep the pool's bounds."""
        pool = sweep.pool_id
        wait = sweep_interval(self.config.poll_interval, walk.statuses, changed=bool(walk.due))
        # Jitter below the interval only: a change waits at most one interval for its sweep.
        wait *= 1 - JITTER
        async with self.store.transaction() as uow:
            for part in _chunks([_found(job, news) for job, news in walk.found]):
                await uow.watched_jobs.watch_found(part, now=now)
            for seen in _chunks([_seen(job) for job in walk.settled]):
                await uow.watched_jobs.record_seen(seen, now=now)
            # An open job a follower left behind (a paused channel) is picked up again.
            open_ids = [job.id for job, _ in walk.found if not job.status.is_terminal]
            for ids in _chunks(open_ids + walk.due):
                await uow.watched_jobs.make_due(pool_id=pool, job_ids=ids, now=now)
            await uow.pool_sweeps.finish(
                pool,
                lease_of(sweep),
                swept_at=now,
                next_sweep_at=jittered(now, wait, JITTER),
                bounds=SweepBounds(walk.bounds.horizon, walk.bounds.newest),
            )

    async def _walk(self, pool: str, walker: Walker) -> Walk:
        if not walker.needed():
            return walker.finish(ended=False)
        ended = False
        async for page in self.aihc.job_pages(pool, max_pages=MAX_PAGES):
            walker.visit(page.items)
            ended = page.is_last
            if walker.enough() or ended:
                break
            if walker.walk.pages >= MAX_PAGES:
                # Coverage below this point is lost this cycle: say so; the horizon stays put.
                _cut_short(pool, walker.walk)
                break
        return walker.finish(ended=ended)

    async def _walk_by_status(self, pool: str, walker: StatusWalker) -> Walk:
        """Read the top pages down to the fresh band, then each active status to its end."""
        if not walker.needed():
            return walker.finish_by_status()
        ended = False
        if walker.follows:
            async for page in self.aihc.job_pages(pool, max_pages=MAX_PAGES):
                walker.visit(page.items)
                ended = page.is_last
                if walker.top_enough() or ended:
                    break
        walker.end_top(ended=ended)
        for status in ACTIVE:
            walker.begin()
            ended = False
            left = MAX_PAGES - walker.walk.pages
            async for page in iter_pages(self._of_status(pool, status), max_pages=left):
                walker.visit_status(status, page.items)
                ended = page.is_last
            if not ended:
                # Jobs of this status not listed: watched ones are polled; say so.
                _cut_short(pool, walker.walk)
                break
        return walker.finish_by_status()

    def _of_status(self, pool: str, status: JobStatus) -> FetchPage[Job]:
        def fetch(no: int, size: int) -> Awaitable[Page[Job]]:
            return self.aihc.list_jobs(
                pool, status=status, order_by="createdAt", order="desc", page_no=no, page_size=size
            )

        return fetch


def _cut_short(pool: str, walk: Walk) -> None:
    logger.warning(
        "sweep of pool %s stopped after %d pages (%d jobs) before covering it",
        pool,
        walk.pages,
        walk.seen,
        extra={"pool": pool, "pages": walk.pages, "jobs": walk.seen},
    )


def _found(job: Job, news: bool) -> FoundJob:
    cursors: dict[str, Any] = {NEWS: True} if news else {}
    return FoundJob(job.pool_id, job.id, job.name[:255], job.queue[:128], cursors)


def _seen(job: Job) -> SeenJob:
    return SeenJob(job.pool_id, job.id, job.name[:255], job.queue[:128], job.status.value)


def _chunks(items: Sequence[T]) -> list[Sequence[T]]:
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]
