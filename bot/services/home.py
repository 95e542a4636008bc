"""Gather a person's App Home: their jobs in every pool, with progress, waits and failure causes.

A job is theirs as `owns` decides (created from Slack by them, or by the AIHC user linked to
them). Each pool's newest `HOME_PAGES` pages of jobs are read; a running job's progress is what
the watcher stored when the job is watched (nothing is read for it here); a queued job's wait is
explained from its pool's queues and nodes, read once per pool; a failed job's likely cause is
matched on its rank-0 log tail and warning events, for the newest `DIAGNOSED` failures only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.domain import Job, JobStatus, Node, Pool, Queue
from bot.insight.causes import Rule
from bot.insight.health import Health
from bot.insight.home import FAILED_WITHIN, Home, HomeJob
from bot.insight.waiting import explain, is_waiting
from bot.services.actor import Actor
from bot.services.causes import read_cause
from bot.services.permissions import PermissionService, owns
from bot.services.reads import ReadService
from bot.store import Store

logger = logging.getLogger(__name__)

HOME_PAGES = 3
"""AIHC pages of 100 jobs read per pool: a person's recent jobs are among the newest."""
MAX_POOLS = 20
"""Pools read for one Home; more are left out (and Home says the list may be incomplete)."""
DIAGNOSED = 10
"""Failed jobs whose likely cause is looked for (two or three AIHC reads each)."""
PLACEMENT_LIMIT = 2_000
"""Queues and nodes read per pool to explain a wait (as `job why` reads)."""


@dataclass(frozen=True)
class _PoolRead:
    """What one pool's newest jobs gave: the actor's, every queued one (ahead of theirs)."""

    pool: Pool
    owned: list[Job] = field(default_factory=list)
    waiting: list[Job] = field(default_factory=list)
    complete: bool = False
    """The whole list was read."""
    failed: bool = False
    """AIHC did not answer."""


class HomeService:
    """Gather what a person's Home tab shows."""

    def __init__(
        self,
        *,
        aihc: AihcClient,
        store: Store,
        permissions: PermissionService,
        reads: ReadService,
        causes: Sequence[Rule] = (),
    ) -> None:
        self._aihc = aihc
        self._store = store
        self._permissions = permissions
        self._reads = reads
        self._rules = tuple(causes)

    async def home(self, actor: Actor, *, now: datetime) -> Home:
        """Return the actor's Home: role, linked user, and their jobs by what they are doing."""
        roles = await self._permissions.roles_of(actor)
        aihc_user = await self._linked(actor)
        every = await self._reads.pools()
        reads = await asyncio.gather(
            *(self._read(pool, actor, aihc_user) for pool in every[:MAX_POOLS])
        )
        jobs = [(read.pool, job) for read in reads for job in read.owned]
        running = [(p, j) for p, j in jobs if not j.status.is_terminal and not is_waiting(j)]
        pending = [(p, j) for p, j in jobs if is_waiting(j)]
        failed = [(p, j) for p, j in jobs if _failed_lately(j, now)]
        return Home(
            roles=roles,
            aihc_user=aihc_user,
            running=await self._with_health(actor, running),
            pending=await self._with_waits(actor, pending, {r.pool.id: r for r in reads}),
            failed=await self._with_causes(actor, failed),
            complete=len(every) <= MAX_POOLS and all(r.complete for r in reads),
            unreadable=tuple(r.pool.name or r.pool.id for r in reads if r.failed),
        )

    async def _linked(self, actor: Actor) -> str | None:
        async with self._store.transaction() as uow:
            link = await uow.user_links.get(workspace_id=actor.team_id, slack_user_id=actor.user_id)
        return link.aihc_user_name if link else None

    async def _read(self, pool: Pool, actor: Actor, aihc_user: str | None) -> _PoolRead:
        """Read the pool's newest jobs, keeping the actor's and every queued one."""
        owned: list[Job] = []
        waiting: list[Job] = []
        complete = False
        try:
            async for page in self._aihc.job_pages(pool.id, max_pages=HOME_PAGES):
                jobs = [
                    job.model_copy(update={"pool_id": job.pool_id or pool.id}) for job in page.items
                ]
                owned.extend(job for job in jobs if owns(actor, job, aihc_user))
                waiting.extend(job for job in jobs if is_waiting(job))
                complete = page.is_last
        except AihcError as error:
            logger.warning("home: jobs unreadable", extra={"pool": pool.id, "error": str(error)})
            return _PoolRead(pool, failed=True)
        return _PoolRead(pool, owned, waiting, complete=complete)

    async def _channels(self, actor: Actor, jobs: Sequence[Job]) -> list[tuple[str, ...]]:
        """Return, per job, the channels of the actor's workspace that follow it."""
        found: list[tuple[str, ...]] = []
        async with self._store.transaction() as uow:
            for job in jobs:
                rows = await uow.subscriptions.covering_job(
                    pool_id=job.pool_id, job_id=job.id, queue_name=job.queue
                )
                ids = (r.channel_id for r in rows if r.workspace_id == actor.team_id)
                found.append(tuple(dict.fromkeys(ids)))
        return found

    async def _with_health(
        self, actor: Actor, jobs: Sequence[tuple[Pool, Job]]
    ) -> tuple[HomeJob, ...]:
        """Add what the watcher stored of each running job (nothing when it is not watched)."""
        healths: list[Health | None] = []
        async with self._store.transaction() as uow:
            for _, job in jobs:
                row = await uow.watched_jobs.get(pool_id=job.pool_id, job_id=job.id)
                healths.append(Health.from_dict(row.insight) if row is not None else None)
        channels = await self._channels(actor, [job for _, job in jobs])
        return tuple(
            HomeJob(job, health=health, channels=where, pool=pool.name or pool.id)
            for (pool, job), health, where in zip(jobs, healths, channels, strict=True)
        )

    async def _with_waits(
        self,
        actor: Actor,
        jobs: Sequence[tuple[Pool, Job]],
        reads: Mapping[str, _PoolRead],
    ) -> tuple[HomeJob, ...]:
        """Explain each queued job's wait from its pool's queues and nodes (read once per pool)
        and the queued jobs the walk saw."""
        pools = {pool.id: pool for pool, _ in jobs}
        found = await asyncio.gather(*(self._placement(pool) for pool in pools.values()))
        placement = dict(zip(pools, found, strict=True))
        channels = await self._channels(actor, [job for _, job in jobs])
        homes = []
        for (pool, job), where in zip(jobs, channels, strict=True):
            queues, nodes = placement[pool.id]
            read = reads[pool.id]
            ahead = [j for j in read.waiting if j.queue == job.queue]
            report = explain(
                job, queues=queues, nodes=nodes, queue_jobs=ahead, all_jobs_read=read.complete
            )
            homes.append(HomeJob(job, waiting=report, channels=where, pool=pool.name or pool.id))
        return tuple(homes)

    async def _placement(self, pool: Pool) -> tuple[list[Queue] | None, list[Node] | None]:
        """Return a pool's queues and nodes, each None when it cannot be read."""
        queues, nodes = await asyncio.gather(
            self._aihc.all_queues(pool.id, limit=PLACEMENT_LIMIT),
            self._aihc.all_nodes(pool.id, limit=PLACEMENT_LIMIT),
            return_exceptions=True,
        )
        # A pool past the bound, or v2 (no node list), explains with what it has.
        return (
            None if isinstance(queues, BaseException) else queues,
            None if isinstance(nodes, BaseException) else nodes,
        )

    async def _with_causes(
        self, actor: Actor, jobs: Sequence[tuple[Pool, Job]]
    ) -> tuple[HomeJob, ...]:
        """Add each recent failure's likely cause (the newest `DIAGNOSED` failures only)."""
        newest = sorted(jobs, key=lambda pj: _finished(pj[1]), reverse=True)
        causes = await asyncio.gather(*(self._cause(job) for _, job in newest[:DIAGNOSED]))
        channels = await self._channels(actor, [job for _, job in newest])
        homes = []
        for index, ((pool, job), where) in enumerate(zip(newest, channels, strict=True)):
            key, text = causes[index] if index < len(causes) else ("", "")
            homes.append(
                HomeJob(job, cause_key=key, cause_text=text, channels=where,
                        pool=pool.name or pool.id)
            )  # fmt: skip
        return tuple(homes)

    async def _cause(self, job: Job) -> tuple[str, str]:
        """Return a failed job's likely cause as (key, text); empty when AIHC would not tell."""
        cause = await read_cause(self._aihc, job, rules=self._rules)
        return ("", "") if cause is None else (cause.key, cause.text)


def _finished(job: Job) -> datetime:
    return job.finished_at or job.created_at or datetime.min.replace(tzinfo=UTC)


def _failed_lately(job: Job, now: datetime) -> bool:
    when = job.finished_at or job.created_at
    return job.status is JobStatus.FAILED and (when is None or now - when <= FAILED_WITHIN)
