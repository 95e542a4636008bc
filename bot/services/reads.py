"""Read use cases: find pools and jobs by id or name, and fetch what people ask about."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcListTooLong, AihcNotFound, AihcUnavailable
from bot.aihc.operations import MAX_PAGE_SIZE
from bot.aihc.paging import window
from bot.domain import (
    MANAGED_POOLS,
    Event,
    Job,
    JobMetrics,
    JobNodes,
    JobStatus,
    MetricType,
    Node,
    Page,
    Pod,
    PodLogs,
    Pool,
    Queue,
)
from bot.insight.waiting import WaitReport, explain
from bot.services.actor import Actor
from bot.services.errors import (
    Ambiguous,
    Candidate,
    ListKind,
    NoPoolKnown,
    NotAmongNewest,
    NotFound,
    QueueNeeded,
    TooMany,
    Unavailable,
)
from bot.services.permissions import owns
from bot.services.training import waiting_jobs
from bot.store import Store

_JOB_ID_PREFIXES = ("pytorchjob-", "mpijob-", "pytorch-", "mpi-")
_V2_JOB_ID_PREFIX = "job-"
POOL_CACHE_SECONDS = 60.0
DEFAULT_TAIL = 100
METRIC_POINTS = 48
WALK_LIMIT = 2_000
"""Most list entries one command may walk (20 pages of 100): to find a name, to list all pools."""
LIST_PAGE = 100
"""Jobs asked for per AIHC page when listing: a person's page of 25 lies within one of them."""
PAGE_READS = 2
"""AIHC pages one unfiltered page of jobs may read (two only when it straddles them)."""
FILTER_READS = 5
"""AIHC pages one filtered page of jobs (`--status`, `--mine`) may read before it says so."""
T = TypeVar("T")


@dataclass(frozen=True)
class JobsPage:
    """One page of a pool's jobs, as read from positions `start` to `end` of its newest-first list.

    A filtered page holds the matches among the jobs read; `end` is where the next page starts.
    """

    jobs: Sequence[Job]
    start: int
    end: int
    more: bool
    """Jobs may follow `end`."""
    filtered: bool
    total: int | None = None
    """How many jobs AIHC says the pool (or queue) holds; shown for unfiltered pages only."""


class ReadService:
    """Answer the read commands, each walking at most `walk_limit` entries of any list."""

    def __init__(
        self,
        *,
        aihc: AihcClient,
        store: Store,
        default_pool: str | None = None,
        walk_limit: int = WALK_LIMIT,
    ) -> None:
        self._aihc = aihc
        self._store = store
        self._default_pool = default_pool
        self._limit = walk_limit
        self._pools: tuple[float, list[Pool]] | None = None
        self._pools_read: asyncio.Task[list[Pool]] | None = None

    async def pools(self) -> list[Pool]:
        """Return every pool (cached briefly: pools change rarely and every command needs one)."""
        if self._pools is not None and time.monotonic() - self._pools[0] <= POOL_CACHE_SECONDS:
            return self._pools[1]
        # Commands arriving together share one read; a failed read fails them all, at once,
        # rather than each waiting for the one before to fail in turn.
        if self._pools_read is None or self._pools_read.done():
            self._pools_read = asyncio.create_task(self._read_pools())
        # One asker giving up (its deadline) must not cancel the read for the others.
        return await asyncio.shield(self._pools_read)

    async def _read_pools(self) -> list[Pool]:
        pools = await self._bounded("pool", self._aihc.all_pools(limit=self._limit))
        self._pools = (time.monotonic(), pools)
        return pools

    async def _bounded(self, kind: ListKind, walk: Awaitable[list[T]]) -> list[T]:
        try:
            return await walk
        except AihcListTooLong:
            raise TooMany(kind, self._limit) from None
        except AihcUnavailable as error:
            raise Unavailable(error.operation, error.version) from None

    async def pool_for(self, actor: Actor, ref: str | None) -> Pool:
        """Resolve the pool a command means: named, the channel's default, or the bot's default."""
        if ref is None:
            async with self._store.transaction() as uow:
                settings = await uow.channels.get(
                    workspace_id=actor.team_id, channel_id=actor.channel_id
                )
            ref = (settings.default_pool_id if settings else None) or self._default_pool
        if not ref:
            raise NoPoolKnown()
        return await self.pool(ref)

    async def pool(self, ref: str) -> Pool:
        """Find a pool by id or by name."""
        pools = await self.pools()
        for pool in pools:
            if pool.id == ref:
                return pool
        named = [pool for pool in pools if pool.name == ref]
        if len(named) > 1:
            choices = [Candidate(f"{p.name} ({p.id}, {p.region})", p.id) for p in named]
            raise Ambiguous("pool", ref, choices)
        if named:
            return named[0]
        try:
            return await self._aihc.get_pool(ref)
        except AihcNotFound:
            raise NotFound("pool", ref) from None

    async def nodes(self, pool: Pool) -> list[Node]:
        """Return every node of a pool (v1 only: v2's client refuses, `Unavailable` here)."""
        return await self._bounded("node", self._aihc.all_nodes(pool.id, limit=self._limit))

    async def queues(self, pool: Pool) -> list[Queue]:
        """Return every queue of a pool."""
        return await self._bounded("queue", self._aihc.all_queues(pool.id, limit=self._limit))

    async def queue(self, pool: Pool, name: str) -> Queue:
        """Return one queue."""
        try:
            return await self._aihc.get_queue(pool.id, name)
        except AihcNotFound:
            raise NotFound("queue", name) from None

    async def jobs_page(
        self,
        pool: Pool,
        *,
        offset: int,
        count: int,
        queue: str | None = None,
        status: JobStatus | None = None,
        owner: Actor | None = None,
    ) -> JobsPage:
        """Return `count` jobs of a pool from position `offset`, newest first, filtered.

        Only the AIHC pages this page needs are read: a filtered page stops after
        `FILTER_READS` of them, with fewer than `count` matches (or none) if it must. Where AIHC
        filters by status (`filters_job_status`) it is asked to, and only `owner` is left here.
        """
        if queue is None and pool.id in MANAGED_POOLS:
            raise QueueNeeded(pool.id)
        asked = status if self._aihc.filters_job_status else None
        keep = await self._job_filter(None if asked else status, owner)

        def fetch(page_no: int, page_size: int) -> Awaitable[Page[Job]]:
            return self._aihc.list_jobs(
                pool.id,
                queue=queue,
                order_by="createdAt",
                order="desc",
                page_no=page_no,
                page_size=page_size,
                status=asked,
            )

        reads = PAGE_READS if keep is None else FILTER_READS
        read = await window(
            fetch, offset=offset, count=count, max_pages=reads, keep=keep, page_size=LIST_PAGE
        )
        filtered = keep is not None
        total = None if filtered else read.total
        return JobsPage(read.items, read.start, read.end, not read.exhausted, filtered, total)

    async def _job_filter(
        self, status: JobStatus | None, owner: Actor | None
    ) -> Callable[[Job], bool] | None:
        """Return the test a job must pass to be listed, or None when every job is."""
        if status is None and owner is None:
            return None
        aihc_user = await self._aihc_user_of(owner) if owner is not None else None

        def keep(job: Job) -> bool:
            if status is not None and job.status is not status:
                return False
            return owner is None or owns(owner, job, aihc_user)

        return keep

    async def job(self, pool: Pool, ref: str, *, queue: str | None = None) -> Job:
        """Find a job by id, or by name among the pool's (or queue's) newest `walk_limit` jobs."""
        if looks_like_job_id(ref):
            found = await self._job_by_id(pool, ref, queue)
            if found is not None:
                return found
        named, searched, complete = await self._jobs_named(pool, ref, queue)
        if not named:
            raise NotFound("job", ref) if complete else NotAmongNewest("job", ref, searched)
        if len(named) > 1:
            choices = [Candidate(f"{j.name} · {j.status_text} · {j.id}", j.id) for j in named]
            raise Ambiguous("job", ref, choices)
        return await self._aihc.get_job(pool.id, named[0].id, queue=named[0].queue)

    async def _job_by_id(self, pool: Pool, job_id: str, queue: str | None) -> Job | None:
        """Fetch a job by id; where a job call needs its queue and none is given, ask each."""
        try:
            return await self._aihc.find_job(pool.id, job_id, queue=queue or "")
        except AihcNotFound:
            return None

    async def _jobs_named(
        self, pool: Pool, name: str, queue: str | None
    ) -> tuple[list[Job], int, bool]:
        """Return the newest jobs called `name`, how many jobs were searched, and if all were."""
        named: list[Job] = []
        searched = 0
        # Only the matches are kept: the walk holds one page at a time. Same-named jobs past
        # the bound are not seen, so the newest ones found are the candidates.
        pages = self._aihc.job_pages(
            pool.id, max_pages=-(-self._limit // MAX_PAGE_SIZE), queue=queue
        )
        async for page in pages:
            searched += page.received
            named.extend(job for job in page.items if job.name == name)
            if searched >= self._limit and not page.is_last:
                return named, searched, False
        return named, searched, True

    async def events(self, pool: Pool, job: Job, *, pod: str | None = None) -> list[Event]:
        """Return a job's events, or one pod's."""
        if pod is None:
            return await self._aihc.job_events(
                pool.id, job.id, framework=job.framework, queue=job.queue
            )
        name = pod_of(job, pod).name
        return await self._aihc.pod_events(
            pool.id, job.id, name, framework=job.framework, queue=job.queue
        )

    async def logs(
        self,
        pool: Pool,
        job: Job,
        *,
        now: datetime,
        pod: str | None = None,
        tail: int | None = None,
        since: timedelta | None = None,
    ) -> PodLogs:
        """Return the last lines of a pod's log (rank 0 unless a pod is named)."""
        target = pod_of(job, pod)
        start = now - since if since is not None else None
        return await self._aihc.pod_logs(
            pool.id,
            job.id,
            target.name,
            start=start,
            max_lines=tail or DEFAULT_TAIL,
            queue=job.queue,
        )

    async def metrics(
        self,
        pool: Pool,
        job: Job,
        *,
        now: datetime,
        metric_type: MetricType = MetricType.GPU_USAGE,
        since: timedelta = timedelta(hours=1),
    ) -> JobMetrics:
        """Return one metric's series per pod over the last `since`, in about 48 steps."""
        step = max(60, int(since.total_seconds()) // METRIC_POINTS)
        return await self._aihc.job_metrics(
            pool.id,
            job.id,
            metric_type,
            start=now - since,
            end=now,
            time_step=step,
            queue=job.queue,
        )

    async def job_nodes(self, pool: Pool, job: Job) -> JobNodes:
        """Return the nodes a job runs on."""
        return await self._aihc.job_nodes(pool.id, job.id, queue=job.queue)

    async def why(self, pool: Pool, job: Job) -> WaitReport:
        """Explain why a queued job waits, from its pool's queues and nodes and its queue's jobs."""
        pages = -(-self._limit // MAX_PAGE_SIZE)
        queues, nodes, (waiting, complete) = await asyncio.gather(
            _unless_too_many(self.queues(pool)),
            _unless_too_many(self.nodes(pool)),
            waiting_jobs(self._aihc, pool.id, job.queue, max_pages=pages),
        )
        return explain(job, queues=queues, nodes=nodes, queue_jobs=waiting, all_jobs_read=complete)

    async def _aihc_user_of(self, actor: Actor) -> str | None:
        async with self._store.transaction() as uow:
            link = await uow.user_links.get(workspace_id=actor.team_id, slack_user_id=actor.user_id)
        return link.aihc_user_name if link else None


async def _unless_too_many(read: Awaitable[list[T]]) -> list[T] | None:
    """Return what a bounded list read found, or None when it is past the bound or unavailable."""
    try:
        return await read
    except (TooMany, Unavailable):
        return None


def looks_like_job_id(ref: str) -> bool:
    """Say whether a reference is shaped like a job id: v1's `pytorchjob-…`, v2's `job-…`.

    A v2 id is `job-` and letters and digits only (`job-oeqpsJhwqq3k`); a name like
    `job-test-3` is searched for by name at once, not first asked of every queue.
    """
    v2_tail = ref.removeprefix(_V2_JOB_ID_PREFIX)
    is_v2 = v2_tail != ref and v2_tail.isascii() and v2_tail.isalnum()
    return ref.startswith(_JOB_ID_PREFIXES) or is_v2


def pod_of(job: Job, ref: str | None) -> Pod:
    """Find a job's pod by full name or by suffix (`worker-1`); rank 0 when none is named."""
    if ref is None:
        pod = job.rank_zero_pod
        if pod is None:
            raise NotFound("pod", f"{job.name}-master-0")
        return pod
    for pod in job.pods:
        if pod.name == ref or pod.name == f"{job.name}-{ref}":
            return pod
    raise NotFound("pod", ref)
