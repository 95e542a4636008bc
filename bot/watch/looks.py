"""Look at a running watched job every few minutes: its rank-0 log's new lines and its GPUs.

A look costs three AIHC calls (the job's detail, its log tail and its GPU metrics) and is due
once per `WATCH_METRICS_MINUTES` per job, spread by jitter, so at most jobs ÷ (minutes × 60 ÷
poll interval) looks fall in one poll interval. What it finds is folded by `bot.insight.health`.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.domain import Job, JobMetrics, JobStatus, MetricType
from bot.insight.health import Change, Health, Limits, Look, look
from bot.insight.progress_match import LinePattern

LOOK = "~look"
"""The log cursor of looks: digests of the rank-0 log's last lines, by pod."""
LOOK_AT = "~look_at"
"""The time of the look the row's next poll is for, when nothing else made it due: such a poll
skips the job's events (read only when the sweep saw a change), so a look costs three calls."""
LOOK_LINES = 200
"""Log lines a look fetches: the newest, enough for a few minutes of most training logs."""


@dataclass(frozen=True)
class LookConfig:
    """How often to look and what counts as hung or idle."""

    every: timedelta = timedelta(minutes=5)
    limits: Limits = field(default_factory=Limits)
    rules: Sequence[LinePattern] = ()
    pending: timedelta = timedelta(minutes=10)
    """How long a job waits in its queue before the watcher says why."""


@dataclass
class Looked:
    """A look's result: the job's new health and the episodes that began or ended."""

    health: Health
    changes: list[Change]


def look_due(job: Job, health: Health, now: datetime, every: timedelta) -> bool:
    """Say whether a running job is due a look."""
    if job.status is not JobStatus.RUNNING or job.rank_zero_pod is None:
        return False
    return health.looked_at is None or now - health.looked_at >= every


async def take_look(
    aihc: AihcClient,
    job: Job,
    health: Health,
    lines: Sequence[str],
    now: datetime,
    config: LookConfig,
) -> Looked:
    """Read the GPUs of a job whose new rank-0 log `lines` were fetched, and fold both in.

    A job's first look reads the GPU history of the idle time and asks the log for lines of the
    hang time, so a job already idle or hung when watching began is told at once.
    """
    limits = config.limits
    first = health.looked_at is None
    window = max(config.every, limits.idle) if first else config.every
    metrics = await gpu_metrics(aihc, job, now - window)
    gpu = average_utilisation(metrics) if metrics is not None else None
    seen = Look(lines, gpu)
    if first:
        low = low_since(metrics, limits.idle_percent, now - limits.idle, slack=config.every)
        seen = Look(lines, gpu, await quiet_since(aihc, job, now, limits.hang), low)
    updated, changes = look(health, seen, now, limits, config.rules)
    return Looked(updated, changes)


async def gpu_metrics(aihc: AihcClient, job: Job, since: datetime) -> JobMetrics | None:
    """Return the job's GPU utilisation since `since`, or None when AIHC will not say.

    Metrics are a nicety: without them the look goes on (a hang is then told from silence
    alone), rather than the whole poll failing.
    """
    try:
        return await aihc.job_metrics(
            job.pool_id, job.id, MetricType.GPU_USAGE, start=since, queue=job.queue
        )
    except AihcError:
        return None


async def quiet_since(
    aihc: AihcClient, job: Job, now: datetime, hang: timedelta
) -> datetime | None:
    """Return `now - hang` when the rank-0 log wrote nothing in that time, else None.

    Asked with the log's `startTime`; a service that ignored it would send old lines, and the
    job would count as moving, the safe way to be wrong.
    """
    pod = job.rank_zero_pod
    running_since = job.running_at or job.created_at
    if pod is None or running_since is None or now - running_since < hang:
        return None
    recent = await aihc.pod_logs(
        job.pool_id, job.id, pod.name, start=now - hang, max_lines=1, queue=job.queue
    )
    return now - hang if not recent.lines else None


def low_since(
    metrics: JobMetrics | None, percent: float, start: datetime, *, slack: timedelta
) -> datetime | None:
    """Return since when every pod's every sample was under `percent`, if that reaches back to
    within `slack` of `start` for each pod (samples are minutes apart); else None."""
    if metrics is None or not metrics.pods:
        return None
    firsts = []
    for pod in metrics.pods:
        points = [p for p in pod.points if p.value is not None and p.time is not None]
        if not points or any(p.value is not None and p.value >= percent for p in points):
            return None
        first = min(p.time for p in points if p.time is not None)
        if first - start > slack:
            return None
        firsts.append(first)
    return max(firsts)


def average_utilisation(metrics: JobMetrics) -> float | None:
    """Return the mean of each pod's newest sample, or None when no pod has one."""
    latest = []
    for pod in metrics.pods:
        values = [p.value for p in pod.points if p.value is not None]
        if values:
            latest.append(values[-1])
    return statistics.fmean(latest) if latest else None
