"""Queue admission: a job whose queue's GPU quota is used up stays Pending until GPUs free.

A queue's limit is its capability for the pool's GPU resource, or its deserved share when
oversell is disabled; a queue without such a quota admits everything (as before). Jobs admitted
hold their GPUs until they finish, from creation on (their plan runs them). Only jobs created
through the API are counted: a scenario's prebuilt jobs are a backdrop laid out before any quota
applied (the demo's `llm-pretrain` plans 48 GPUs in a 32-GPU queue), and counting them would hold
every job people create there. A held job's plan is
only Created → Pending; when the queue has room (checked on every read of the clock), the
waiting jobs go by priority, then queueing sequence, and each gets its life planned from the
moment its GPUs were freed. StrictFIFO stops at the first that does not fit; other strategies
let a smaller one behind it pass.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from bot.domain import JobStatus
from bot.simulator.lifecycle import finished_at, plan_job
from bot.simulator.model import Job, Queue
from bot.simulator.world import World

S = JobStatus
_RANK = {"high": 2, "normal": 1, "low": 0}


def _number(raw: str | None) -> float | None:
    try:
        value = float(raw) if raw is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def gpu_limit(queue: Queue, resource: str) -> float | None:
    """Return the most GPUs of `resource` the queue may hold, or None when it sets no limit."""
    limits = [_number(queue.capability.get(resource))]
    if queue.disable_oversell:
        limits.append(_number(queue.deserved.get(resource)))
    known = [limit for limit in limits if limit is not None]
    return min(known) if known else None


def need(job: Job) -> int:
    """Return the GPUs the whole job holds."""
    return job.replicas * job.gpus_per_replica


def is_held(job: Job) -> bool:
    """Say whether the job's plan stops at Pending: it waits for its queue."""
    return job.statuses == [S.CREATED, S.PENDING]


def submit(world: World, job: Job, now: float) -> None:
    """Hold a newly planned job Pending if its queue has no room (or others wait ahead of it)."""
    queue = world.queues.get(job.pool_id, {}).get(job.queue)
    limit = None if queue is None else gpu_limit(queue, job.gpu_resource)
    if limit is None or job.gpus_per_replica <= 0:
        return
    waiting = [w for w in _held_in(world, job.pool_id, job.queue) if w is not job]
    ahead = any(_RANK.get(w.priority, 1) >= _RANK.get(job.priority, 1) for w in waiting)
    used = sum(need(j) for j in _admitted(world, job, now))
    if ahead or used + need(job) > limit:
        _hold(world, job)
    else:
        world.admitted.add(job.id)


def _hold(world: World, job: Job) -> None:
    job.times = job.times[:2]
    job.statuses = [S.CREATED, S.PENDING]
    job.restarts = []
    world.held[job.id] = None


def _held_in(world: World, pool_id: str, queue: str) -> list[Job]:
    jobs = (world.jobs.get(job_id) for job_id in world.held)
    return [j for j in jobs if j is not None and (j.pool_id, j.queue) == (pool_id, queue)]


def _counted(world: World, job: Job) -> Iterable[Job]:
    """The other jobs of the job's queue that were admitted through the API and still exist."""
    for job_id in list(world.admitted):
        other = world.jobs.get(job_id)
        if other is None:
            world.admitted.discard(job_id)
        elif other is not job and (other.pool_id, other.queue) == (job.pool_id, job.queue):
            yield other


def _admitted(world: World, job: Job, now: float) -> Iterable[Job]:
    """The queue's other admitted jobs that hold GPUs at `now` or will: not finished."""
    return (other for other in _counted(world, job) if finished_at(other, now) is None)


def admit(world: World, now: float) -> None:
    """Start the held jobs whose queues have room by `now`, each from when its GPUs freed."""
    if not world.held:
        return
    for job_id in list(world.held):
        job = world.jobs.get(job_id)
        if job is None or not is_held(job):
            # Deleted, stopped or forced to another status through the control API.
            del world.held[job_id]
    queues = {(j.pool_id, j.queue) for j in map(world.jobs.__getitem__, world.held)}
    for pool_id, name in sorted(queues):
        _admit_queue(world, pool_id, name, now)


def _admit_queue(world: World, pool_id: str, name: str, now: float) -> None:
    queue = world.queues.get(pool_id, {}).get(name)
    waiting = sorted(
        _held_in(world, pool_id, name), key=lambda j: (-_RANK.get(j.priority, 1), j.seq)
    )
    for job in waiting:
        limit = None if queue is None else gpu_limit(queue, job.gpu_resource)
        start = None if limit is None else _room_from(world, job, limit, now)
        if limit is None or start is not None:
            _release(world, job, max(start or now, job.times[-1]))
        elif queue is not None and queue.queueing_strategy == "StrictFIFO":
            return


def _room_from(world: World, job: Job, limit: float, now: float) -> float | None:
    """Return the first moment up to `now` the queue had room for `job`; None if it has none."""
    holding = 0
    ends: list[tuple[float, int]] = []
    for other in _counted(world, job):
        end = finished_at(other, now)
        if end is None:
            holding += need(other)
        elif end > job.times[-1]:
            ends.append((end, need(other)))
    extra = sum(gpus for _, gpus in ends)
    if holding + need(job) > limit:
        return None
    if holding + extra + need(job) <= limit:
        return job.times[-1]
    for end, gpus in sorted(ends):
        extra -= gpus
        if holding + extra + need(job) <= limit:
            return end
    return now


def _release(world: World, job: Job, at: float) -> None:
    """Plan the job's life on from `at`, as the scheduler picks it then."""
    del world.held[job.id]
    world.admitted.add(job.id)
    head = (job.times[:2], job.statuses[:2])
    plan_job(job, random.Random(f"{world.seed}/admit/{job.seq}"))
    scheduled = job.statuses.index(S.SCHEDULED)
    shift = at + 1.0 - job.times[scheduled]
    job.times = head[0] + [t + shift for t in job.times[scheduled:]]
    job.statuses = head[1] + job.statuses[scheduled:]
    job.restarts = [r + shift for r in job.restarts]
