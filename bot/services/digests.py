"""Compute a channel's digest: what finished and why, GPU-hours, waits, progress, idle GPUs.

A digest covers the channel's configured pools (`config pool` / `config pools`), else what it
subscribes to: whole pools, queues, and the queues of the jobs it follows. Its AIHC work is
bounded: `JOB_PAGES` pages of each pool's or queue's job list (newest first, at most
`MAX_WALKS` lists), one log tail and one event list for each of the newest `MAX_CAUSES`
failures, and each involved pool's queues and nodes once to explain the waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.domain import Job, Node, Queue
from bot.domain.digest import Digest, DigestPeriod
from bot.domain.watching import TargetKind
from bot.insight.causes import Cause, Rule
from bot.insight.digest import ran_in
from bot.insight.digest_parts import WAITING_SHOWN, Reads, compose, failed_in, longest_waiting
from bot.insight.health import Health
from bot.insight.waiting import WaitReport, explain, is_waiting
from bot.services.causes import read_cause
from bot.store import Store, UnitOfWork

T = TypeVar("T")
Scope = dict[str, frozenset[str] | None]
"""The pools a digest covers, by id, each with the queues it covers (None: the whole pool)."""
JOB_PAGES = 10
"""Pages (of 100) of one pool's or queue's job list a digest reads, newest first."""
MAX_WALKS = 10
"""Job lists (pools or queues) one digest reads at most."""
MAX_CAUSES = 20
"""Newest failures of the period whose log tail is read for a likely cause."""
READS_AT_ONCE = 4
"""AIHC calls one digest has in flight, so a digest never crowds out commands."""
LIST_LIMIT = 2_000
"""Most queues or nodes of one pool read to explain a wait."""


class DigestService:
    """Compute the digest of the pools or queues a channel follows."""

    def __init__(self, *, store: Store, aihc: AihcClient, causes: Sequence[Rule] = ()) -> None:
        self._store = store
        self._aihc = aihc
        self._rules = tuple(causes)
        self._gate = asyncio.Semaphore(READS_AT_ONCE)

    async def digest(
        self, *, workspace_id: str, channel_id: str, period: DigestPeriod, end: datetime
    ) -> Digest:
        """Return the digest of the channel's pools or queues over the period that ends at `end`.

        Raises the `AihcError` of the job lists when AIHC refused every one of them.
        """
        start = end - period.span
        async with self._store.transaction() as uow:
            scope = await scope_of(uow, workspace_id=workspace_id, channel_id=channel_id)
        names = await self._pool_names()
        jobs, complete = await self._jobs(scope)
        failed = failed_in(jobs, start, end)[:MAX_CAUSES]
        ran = {job.id for job in ran_in(jobs, start, end)}
        causes, reports, healths = await asyncio.gather(
            self._causes(failed),
            self._reports(jobs, complete),
            self._healths([j for j in jobs if j.id in ran or j.status.is_active]),
        )
        reads = Reads(
            jobs=jobs,
            pool_names=names,
            complete=complete,
            healths=healths,
            causes=causes,
            reports=reports,
        )
        pools = [names.get(pool, pool) for pool, queues in scope.items() if queues is None]
        queues = sorted({q for covered in scope.values() if covered for q in covered})
        return compose(reads, period=period, end=end, pools=pools, queues=queues)

    async def _pool_names(self) -> dict[str, str]:
        """Return each pool's name by id (none when AIHC does not answer: ids are shown)."""
        pools = await self._quietly(self._aihc.all_pools(limit=LIST_LIMIT))
        return {pool.id: pool.name for pool in pools or () if pool.name}

    async def _jobs(self, scope: Scope) -> tuple[list[Job], bool]:
        """Return the covered jobs, newest first per list, and whether every list was read whole.

        A list AIHC refuses is left out (the digest says it is partial); when every list is
        refused, the last refusal is raised: a digest of nothing would say nothing happened.
        """
        walks = [
            (pool, queue)
            for pool, queues in scope.items()
            for queue in (sorted(queues) if queues is not None else [None])
        ]
        complete = len(walks) <= MAX_WALKS
        jobs: dict[str, Job] = {}
        refused: list[AihcError] = []
        for pool, queue in walks[:MAX_WALKS]:
            whole = True
            try:
                async for page in self._aihc.job_pages(pool, queue=queue, max_pages=JOB_PAGES):
                    jobs.update((job.id, job) for job in page.items)
                    whole = page.is_last
            except AihcError as error:
                refused.append(error)
                whole = False
            complete = complete and whole
        if refused and len(refused) == len(walks[:MAX_WALKS]):
            raise refused[-1]
        return list(jobs.values()), complete

    async def _causes(self, failed: Sequence[Job]) -> dict[str, Cause]:
        """Return the likely cause of each failure whose log tail and events could be read."""
        found = await asyncio.gather(*(self._cause(job) for job in failed))
        return {job.id: cause for job, cause in zip(failed, found, strict=True) if cause}

    async def _cause(self, listed: Job) -> Cause | None:
        """Read a failed job's likely cause, a few at a time."""
        async with self._gate:
            return await read_cause(self._aihc, listed, rules=self._rules)

    async def _reports(self, jobs: Sequence[Job], complete: bool) -> dict[str, WaitReport]:
        """Explain the longest waits from their pools' queues and nodes and the jobs read."""
        waiting = longest_waiting(jobs, WAITING_SHOWN)
        pools = sorted({job.pool_id for job in waiting})
        reads = await asyncio.gather(*(self._pool_reads(pool) for pool in pools))
        by_pool = dict(zip(pools, reads, strict=True))
        queued = [job for job in jobs if is_waiting(job)]
        return {
            job.id: explain(
                job,
                queues=by_pool[job.pool_id][0],
                nodes=by_pool[job.pool_id][1],
                queue_jobs=[j for j in queued if (j.pool_id, j.queue) == (job.pool_id, job.queue)],
                all_jobs_read=complete,
            )
            for job in waiting
        }

    async def _pool_reads(self, pool: str) -> tuple[list[Queue] | None, list[Node] | None]:
        """Return a pool's queues and nodes; None for either AIHC would not give."""
        queues = await self._quietly(self._aihc.all_queues(pool, limit=LIST_LIMIT))
        nodes = await self._quietly(self._aihc.all_nodes(pool, limit=LIST_LIMIT))
        return queues, nodes

    async def _healths(self, jobs: Sequence[Job]) -> dict[str, Health]:
        """Return what the watcher keeps of these jobs, for those it follows."""
        by_pool: dict[str, list[str]] = {}
        for job in jobs:
            by_pool.setdefault(job.pool_id, []).append(job.id)
        found: dict[str, Health] = {}
        async with self._store.transaction() as uow:
            for pool, ids in by_pool.items():
                raw: Mapping[str, object] = await uow.watched_jobs.insights(
                    pool_id=pool, job_ids=ids
                )
                found.update((job_id, Health.from_dict(value)) for job_id, value in raw.items())
        return found

    async def _quietly(self, read: Awaitable[T]) -> T | None:
        """Return what a read found, or None when AIHC refused it (its part is left out)."""
        try:
            async with self._gate:
                return await read
        except AihcError:
            return None


async def scope_of(uow: UnitOfWork, *, workspace_id: str, channel_id: str) -> Scope:
    """Return what a channel's digest covers: its configured pools, else what it follows.

    A followed job counts by its queue (the whole pool when the watcher never learnt it).
    """
    settings = await uow.channels.get(workspace_id=workspace_id, channel_id=channel_id)
    if settings is not None:
        configured = [*settings.allowed_pool_ids, settings.default_pool_id or ""]
        pools = [pool for pool in dict.fromkeys(configured) if pool]
        if pools:
            return dict.fromkeys(pools)
    scope: dict[str, set[str] | None] = {}
    subs = await uow.subscriptions.in_channel(workspace_id=workspace_id, channel_id=channel_id)
    for sub in sorted(subs, key=lambda sub: sub.target_kind is not TargetKind.POOL):
        queue: str | None = sub.target_ref
        if sub.target_kind is TargetKind.POOL:
            queue = None
        elif sub.target_kind is TargetKind.JOB:
            row = await uow.watched_jobs.get(pool_id=sub.pool_id, job_id=sub.target_ref)
            queue = row.queue_name if row is not None and row.queue_name else None
        if queue is None:
            scope[sub.pool_id] = None
        elif sub.pool_id not in scope or scope[sub.pool_id] is not None:
            scope.setdefault(sub.pool_id, set())
            covered = scope[sub.pool_id]
            if covered is not None:
                covered.add(queue)
    return {pool: None if qs is None else frozenset(qs) for pool, qs in scope.items()}
