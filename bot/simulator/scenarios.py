"""Worlds to start from: `demo` (two pools that keep changing), `empty`, and bulk `populate`.

The demo holds one job of each kind a team meets: Megatron, Hugging Face and DeepSpeed runs in
progress, one hung for 35 minutes, one idle for over an hour, one restarted by fault tolerance
soon after the start, and one waiting in Pending because its queue's quota is all taken.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.domain import ROOT_QUEUE_NAME, JobFramework, JobStatus
from bot.simulator.behaviour import FOREVER
from bot.simulator.factory import base_queues, job_name, make_job, make_pool, team_queue
from bot.simulator.lifecycle import (
    FAILURES,
    QUICK_PACE,
    force,
    left_to_since,
    place,
    plan_job,
)
from bot.simulator.model import Pool
from bot.simulator.world import World

SCENARIOS = ("demo", "empty")
S = JobStatus
_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class DemoJob:
    """One job of the demo: where it is at start and how soon it next changes (< 0: since)."""

    name: str
    pool: int
    queue: str
    outcome: str
    status: JobStatus
    left: float
    fault_tolerance: bool = False
    megatron: bool = True
    mpi: bool = False
    restart: bool = False
    style: str = ""
    """Log style (`trainlogs.STYLES`); empty: read from the image and command."""
    hung_for: float = 0.0
    """Seconds rank 0 has been stuck (log silent, GPUs at 0 %) when the demo starts."""
    idle_for: float = 0.0
    """Seconds the GPUs have waited (about 0 %) while the log goes on."""
    cause: str = ""
    """Why the planned fault-tolerance restart happens."""
    hold: float = 0.0
    """Seconds added to the job's wait in Pending (a queue with no quota left)."""


_NCCL_CAUSE = (
    "NCCL timeout: Watchdog caught collective operation timeout: WorkNCCL(SeqNum=40311, "
    "OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=1800000) ran for 1800421 milliseconds "
    "before timing out."
)
DEMO_JOBS = (
    DemoJob("llama2-13b-pretrain-7", 0, "llm-pretrain", "running", S.RUNNING, -10_800, True),
    DemoJob("qwen-14b-sft-3", 0, "llm-sft", "succeeded", S.RUNNING, 45),
    DemoJob("mixtral-8x7b-pretrain-2", 0, "llm-pretrain", "nccl_timeout", S.RUNNING, 30, True),
    DemoJob(
        "llama2-7b-dpo-5",
        0,
        "llm-sft",
        "running",
        S.RUNNING,
        20,
        True,
        restart=True,
        cause=_NCCL_CAUSE,
    ),
    DemoJob("baichuan2-13b-eval-1", 0, "eval", "succeeded", S.STARTING, 15),
    DemoJob("gpt3-1p3b-ablation-4", 0, "default", "cuda_oom", S.PENDING, 40),
    DemoJob("llama2-7b-pretrain-9", 0, "llm-pretrain", "running", S.CREATED, 2),
    DemoJob("qwen-14b-eval-2", 0, "eval", "image_pull", S.STARTING, 70),
    DemoJob("llama2-13b-sft-1", 0, "llm-sft", "succeeded", S.SUCCEEDED, -7_200),
    DemoJob("mixtral-8x7b-sft-6", 0, "llm-sft", "cuda_oom", S.FAILED, -2_400),
    DemoJob("gpt3-1p3b-pretrain-8", 0, "default", "running", S.MANUAL_TERMINATION, -1_500),
    DemoJob("vit-l16-mpi-2", 1, "cv-research", "python_error", S.RUNNING, 55, mpi=True),
    DemoJob("resnet50-imagenet-1", 1, "cv-research", "running", S.RUNNING, -3_000, False, False),
    DemoJob("vit-l16-finetune-3", 1, "default", "gpu_xid", S.FAILED, -10_800, False, False),
    DemoJob("resnet50-imagenet-2", 1, "default", "succeeded", S.SCHEDULED, 3, False, False),
    DemoJob(
        "vit-h14-pretrain-5",
        1,
        "cv-research",
        "running",
        S.RUNNING,
        -9_000,
        False,
        False,
        style="hf",
        idle_for=3_900,
    ),
    DemoJob("qwen-7b-sft-lora-4", 0, "default", "running", S.RUNNING, -5_400, style="hf"),
    DemoJob(
        "llama2-70b-pretrain-3", 0, "llm-pretrain", "running", S.RUNNING, -14_400, hung_for=2_100
    ),
    DemoJob("llama2-13b-rlhf-1", 0, "llm-rlhf", "running", S.RUNNING, -7_200, style="deepspeed"),
    DemoJob("llama2-13b-rlhf-2", 0, "llm-rlhf", "running", S.PENDING, -900, hold=6 * 3_600),
)


def build(scenario: str, seed: int, now: float) -> World:
    """Build a named scenario's world at simulated time `now`."""
    world = World(seed)
    if scenario == "empty":
        pool = make_pool(
            world.rng, name="aihc-pool", nodes=4, gpu="a800", created_at=now - 90 * _DAY, busy=0
        )
        world.add_pool(pool, base_queues(pool, pool.created_at))
        return world
    if scenario != "demo":
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
    _demo(world, now)
    return world


def _demo(world: World, now: float) -> None:
    rng = world.rng
    pools = [
        make_pool(
            rng, name="llm-a800-pool", nodes=6, gpu="a800", created_at=now - 120 * _DAY, busy=0.7
        ),
        make_pool(
            rng, name="cv-h800-pool", nodes=3, gpu="h800", created_at=now - 60 * _DAY, busy=0.5
        ),
    ]
    # llm-rlhf's quota is all taken by its running job: the next one waits in Pending.
    teams = [
        [("llm-pretrain", 32), ("llm-sft", 16), ("eval", 8), ("llm-rlhf", 16)],
        [("cv-research", 16)],
    ]
    for pool, queues in zip(pools, teams, strict=True):
        made = base_queues(pool, pool.created_at)
        made += [
            team_queue(pool, name, pool.created_at + 60 * (i + 1), gpus)
            for i, (name, gpus) in enumerate(queues)
        ]
        world.add_pool(pool, made)
    for spec in DEMO_JOBS:
        _demo_job(world, pools[spec.pool], spec, now)
    world.reindex()
    # One job leaks a registry password in its raw-request annotation, as real ones can.
    world.jobs[next(iter(world.jobs))].pull_password = "s3cr3t-registry-token"  # noqa: S105
    world.spawner = _spawn
    world.spawn_every = 120.0
    world.next_spawn = now + 60.0


def _demo_job(world: World, pool: Pool, spec: DemoJob, now: float) -> None:
    framework = JobFramework.MPI if spec.mpi else JobFramework.PYTORCH
    job = make_job(
        world,
        pool,
        world.rng,
        name=spec.name,
        queue=spec.queue,
        created_at=0.0,
        outcome=spec.outcome,
        megatron=spec.megatron,
        framework=framework,
        fault_tolerance=spec.fault_tolerance,
    )
    job.log_style = spec.style
    plan_job(job, world.rng, QUICK_PACE, restart=spec.restart)
    if spec.status is S.MANUAL_TERMINATION:
        force(job, S.MANUAL_TERMINATION, job.times[-1] + 3_600)
    if spec.hold:
        later = job.statuses.index(S.PENDING) + 1
        job.times[later:] = [t + spec.hold for t in job.times[later:]]
    since = left_to_since(job, spec.status, spec.left) if spec.left > 0 else -spec.left
    place(job, spec.status, now, since)
    if spec.cause:
        job.restart_causes = tuple((at, spec.cause) for at in job.restarts)
    if spec.hung_for:
        job.hangs = ((now - spec.hung_for, FOREVER),)
    if spec.idle_for:
        job.idles = ((now - spec.idle_for, FOREVER),)
    world.add_job(job, sort=False)


def _spawn(world: World, at: float, serial: int) -> None:
    """Submit one more job at `at`, as a busy team does every couple of minutes."""
    rng = random.Random(f"{world.seed}/spawn/{serial}")
    pool = world.pools[rng.choice(sorted(world.pools))]
    queue = rng.choice(sorted(q for q in world.queues[pool.id] if q != ROOT_QUEUE_NAME))
    outcome = rng.choice(("succeeded", "succeeded", "running", *FAILURES))
    job = make_job(
        world,
        pool,
        rng,
        name=job_name(rng, 100 + serial),
        queue=queue,
        created_at=at,
        outcome=outcome,
        megatron=rng.random() < 0.7,
        fault_tolerance=rng.random() < 0.3,
    )
    plan_job(job, rng, QUICK_PACE)
    world.add_job(job)
