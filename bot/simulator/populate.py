"""Bulk worlds for benchmarks: M pools, Q queues each, N jobs in a chosen mix of statuses."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import JobStatus
from bot.simulator.factory import base_queues, job_name, make_job, make_pool, team_queue
from bot.simulator.lifecycle import FAILURES, force, place, plan_job
from bot.simulator.model import Pool
from bot.simulator.world import World

S = JobStatus
DEFAULT_MIX = {
    S.RUNNING: 0.2,
    S.SUCCEEDED: 0.4,
    S.FAILED: 0.15,
    S.PENDING: 0.1,
    S.MANUAL_TERMINATION: 0.1,
    S.STARTING: 0.05,
}
_DAY = 86_400.0
_PLANNED = frozenset({S.CREATED, S.PENDING, S.SCHEDULED, S.STARTING, S.RUNNING, S.RESTARTING})


@dataclass(frozen=True, slots=True)
class PopulateSpec:
    """What `/_sim/populate` asks for."""

    pools: int = 20
    queues_per_pool: int = 5
    jobs: int = 50_000
    status_mix: dict[JobStatus, float] = field(default_factory=lambda: dict(DEFAULT_MIX))


def _pools(world: World, spec: PopulateSpec, now: float) -> list[tuple[Pool, list[str]]]:
    pools: list[tuple[Pool, list[str]]] = []
    for p in range(spec.pools):
        pool = make_pool(
            world.rng,
            name=f"bench-pool-{p:02d}",
            nodes=16,
            gpu="a800",
            created_at=now - 200 * _DAY,
            busy=0.6,
        )
        made = base_queues(pool, pool.created_at)
        made += [
            team_queue(pool, f"team-{q:02d}", pool.created_at + q + 10, 16)
            for q in range(max(spec.queues_per_pool - 1, 0))
        ]
        world.add_pool(pool, made)
        pools.append((pool, [q.name for q in made[1:]]))
    return pools


def populate(seed: int, now: float, spec: PopulateSpec) -> World:
    """Build a fresh world of `spec.jobs` jobs spread evenly over `spec.pools` pools."""
    world = World(seed)
    rng = world.rng
    pools = _pools(world, spec, now)
    statuses = list(spec.status_mix)
    targets = rng.choices(statuses, [spec.status_mix[s] for s in statuses], k=spec.jobs)
    for index, target in enumerate(targets):
        pool, queues = pools[index % len(pools)]
        job = make_job(
            world,
            pool,
            rng,
            name=job_name(rng, index),
            queue=queues[index % len(queues)],
            created_at=0.0,
            outcome=_outcome_for(target, rng.random()),
            megatron=index % 3 != 0,
            fault_tolerance=target is S.RESTARTING or index % 4 == 0,
        )
        plan_job(job, rng, restart=True if target is S.RESTARTING else None)
        if target not in job.statuses:
            running = job.statuses.index(S.RUNNING) if S.RUNNING in job.statuses else -1
            force(job, target, job.times[running] + rng.uniform(60, 7_200))
        window = 30 * _DAY if target.is_terminal else 3 * _DAY
        place(job, target, now, rng.uniform(0, window))
        world.add_job(job, sort=False)
    world.reindex()
    return world


def _outcome_for(target: JobStatus, draw: float) -> str:
    if target is S.SUCCEEDED:
        return "succeeded"
    if target is S.FAILED:
        return FAILURES[int(draw * len(FAILURES))]
    if target in _PLANNED:
        return "running" if draw < 0.5 else "succeeded"
    # Statuses no plan reaches by itself are forced onto a run that would not have ended.
    return "running"


def parse_mix(raw: object) -> dict[JobStatus, float]:
    """Read a `status_mix` object; raise ValueError on unknown statuses or bad weights."""
    if raw is None:
        return dict(DEFAULT_MIX)
    if not isinstance(raw, dict) or not raw:
        raise ValueError("status_mix must be a non-empty object of status: weight")
    mix: dict[JobStatus, float] = {}
    for key, value in raw.items():
        status = JobStatus.parse(str(key))
        if status is S.UNKNOWN and str(key).lower() != "unknown":
            raise ValueError(f"unknown status {key!r} in status_mix")
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ValueError(f"weight of {key!r} must be a number >= 0")
        mix[status] = float(value)
    if sum(mix.values()) <= 0:
        raise ValueError("status_mix weights must not all be 0")
    return mix
