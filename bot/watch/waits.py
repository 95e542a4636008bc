"""Why a watched job waits: the reads `bot.insight.waiting` needs, shared per pool in one poll.

A job that stayed Created, Pending or Scheduled for `WATCH_PENDING_MINUTES` is explained once per
waiting spell. The pool's queues and nodes are read once per poll tick for all its waiting jobs,
and each queue's jobs once per tick for all the jobs waiting in it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.domain import Job
from bot.insight.waiting import WaitReport, explain, is_waiting
from bot.services.training import waiting_jobs

T = TypeVar("T")
QUEUE_PAGES = 5
"""Pages of a queue's jobs read for the jobs ahead (newest first); past them, "at least"."""


def waiting_since(job: Job, status_changed_at: datetime | None) -> datetime | None:
    """Return when a waiting job began to wait: its creation, unless it ran before."""
    if job.running_at is None and job.created_at is not None:
        return job.created_at
    return status_changed_at


def explain_due(
    job: Job, since: datetime | None, told: datetime | None, now: datetime, wait: timedelta
) -> bool:
    """Say whether a job has waited long enough to be explained, and was not for this spell."""
    if not is_waiting(job) or since is None:
        return False
    return told != since and now - since >= wait


@dataclass
class WaitReads:
    """One poll tick's shared reads: each pool's queues and nodes, each queue's jobs."""

    aihc: AihcClient
    _reads: dict[tuple[str, ...], asyncio.Task[Any]] = field(default_factory=dict)

    async def explain(self, job: Job) -> WaitReport:
        """Explain why `job` waits from AIHC's answers; a refused read leaves its reasons out."""
        pool, name = job.pool_id, job.queue
        queues = await self._once(("queues", pool), lambda: self.aihc.all_queues(pool, limit=500))
        nodes = await self._once(("nodes", pool), lambda: self.aihc.all_nodes(pool, limit=2000))
        jobs = await self._once(
            ("jobs", pool, name),
            lambda: waiting_jobs(self.aihc, pool, name, max_pages=QUEUE_PAGES),
        )
        listed, complete = jobs if jobs is not None else (None, False)
        return explain(job, queues=queues, nodes=nodes, queue_jobs=listed, all_jobs_read=complete)

    async def _once(self, key: tuple[str, ...], read: Callable[[], Awaitable[T]]) -> T | None:
        """Run `read` once per key for the whole tick; None when AIHC refused it."""
        task = self._reads.get(key)
        if task is None:
            task = asyncio.ensure_future(read())
            self._reads[key] = task
        try:
            return cast(T, await task)
        except AihcError:
            return None
