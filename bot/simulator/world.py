"""The world: pools, queues and jobs, with per-pool and per-queue indexes sorted by createdAt."""

from __future__ import annotations

import random
from bisect import bisect_left, insort
from collections.abc import Callable

from bot.domain import JobStatus
from bot.simulator.lifecycle import finished_at, status_at
from bot.simulator.model import Job, Pool, Queue

IndexEntry = tuple[float, int, str]
Spawner = Callable[["World", float, int], None]


class World:
    """Everything the simulated service knows, for one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.pools: dict[str, Pool] = {}
        self.queues: dict[str, dict[str, Queue]] = {}
        self.jobs: dict[str, Job] = {}
        self.tokens: dict[tuple[str, str], tuple[str, str]] = {}
        self._by_pool: dict[str, list[IndexEntry]] = {}
        self._by_queue: dict[tuple[str, str], list[IndexEntry]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._seq = 0
        self.spawner: Spawner | None = None
        self.spawn_every = 0.0
        self.next_spawn = 0.0
        self.spawned = 0
        self.held: dict[str, None] = {}
        """Jobs waiting for room in their queue, in submission order (see `admission`)."""
        self.admitted: set[str] = set()
        """Jobs created through the API that their queue admitted (see `admission`)."""

    def add_pool(self, pool: Pool, queues: list[Queue]) -> None:
        """Add a pool with its queues."""
        self.pools[pool.id] = pool
        self.queues[pool.id] = {q.name: q for q in queues}
        self._by_pool.setdefault(pool.id, [])
        self._names.setdefault(pool.id, {})

    def next_seq(self) -> int:
        """Return the next queueing sequence number (unique, increasing)."""
        self._seq += 1
        return self._seq

    def job_named(self, pool_id: str, name: str) -> Job | None:
        """Return the live job of that name in the pool, if any."""
        job_id = self._names.get(pool_id, {}).get(name)
        return self.jobs.get(job_id) if job_id else None

    def add_job(self, job: Job, *, sort: bool = True) -> None:
        """Add a job and index it; `sort=False` defers ordering to `reindex` (bulk loads)."""
        self.jobs[job.id] = job
        self._names.setdefault(job.pool_id, {})[job.name] = job.id
        entry = (job.created_at, job.seq, job.id)
        for index in (
            self._by_pool.setdefault(job.pool_id, []),
            self._by_queue.setdefault((job.pool_id, job.queue), []),
        ):
            if sort:
                insort(index, entry)
            else:
                index.append(entry)

    def reindex(self) -> None:
        """Sort every index after a bulk load."""
        for index in (*self._by_pool.values(), *self._by_queue.values()):
            index.sort()

    def remove_job(self, job: Job) -> None:
        """Forget a job: later reads answer 404."""
        del self.jobs[job.id]
        self._names.get(job.pool_id, {}).pop(job.name, None)
        entry = (job.created_at, job.seq, job.id)
        for index in (self._by_pool[job.pool_id], self._by_queue[(job.pool_id, job.queue)]):
            position = bisect_left(index, entry)
            if position < len(index) and index[position] == entry:
                del index[position]

    def queue_jobs(self, pool_id: str, queue: str) -> list[Job]:
        """Return the jobs of one queue, oldest first."""
        return [self.jobs[e[2]] for e in self._by_queue.get((pool_id, queue), [])]

    def jobs_page(
        self,
        pool_id: str,
        queue: str | None,
        *,
        by_finished: bool,
        descending: bool,
        offset: int,
        limit: int,
        now: float,
    ) -> tuple[int, list[Job]]:
        """Return (total, one page) of a pool's jobs, optionally of one queue."""
        if queue is None:
            index = self._by_pool.get(pool_id, [])
        else:
            index = self._by_queue.get((pool_id, queue), [])
        total = len(index)
        if by_finished:
            # finishedAt moves with the clock, so this order is computed per request; unfinished
            # jobs sort as the empty string does, first ascending and last descending.
            jobs = sorted(
                (self.jobs[e[2]] for e in index),
                key=lambda j: (finished_at(j, now) or 0.0, j.created_at, j.seq),
                reverse=descending,
            )
            return total, jobs[offset : offset + limit]
        if descending:
            end = max(total - offset, 0)
            picked = index[max(end - limit, 0) : end][::-1]
        else:
            picked = index[offset : offset + limit]
        return total, [self.jobs[e[2]] for e in picked]

    def running_in_queue(self, pool_id: str, queue: str, now: float) -> list[Job]:
        """Return the queue's jobs that hold resources at `now`."""
        return [
            job
            for job in self.queue_jobs(pool_id, queue)
            if status_at(job, now) in (JobStatus.RUNNING, JobStatus.RESTARTING)
        ]

    def sync(self, now: float) -> None:
        """Create the jobs a scenario spawns over time, up to `now`."""
        if self.spawner is None or self.spawn_every <= 0:
            return
        missed = int((now - self.next_spawn) // self.spawn_every)
        if missed > 20:
            # After a long clock jump only the most recent spawns matter to anyone watching.
            self.next_spawn += (missed - 20) * self.spawn_every
            self.spawned += missed - 20
        while self.next_spawn <= now:
            self.spawner(self, self.next_spawn, self.spawned)
            self.spawned += 1
            self.next_spawn += self.spawn_every
