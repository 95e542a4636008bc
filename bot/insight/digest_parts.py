"""A digest's other parts, and the whole digest from what one computation read.

Causes are counted from the failures whose log was read; waits are the longest-waiting queued
jobs with their reasons; progress and idle episodes come from what the watcher keeps of the jobs
it follows (`Health`), so a job nobody watches has neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import TypeAdapter

from bot.domain import Job, JobStatus
from bot.domain.digest import (
    CauseCount,
    Digest,
    DigestJob,
    DigestPeriod,
    IdleEpisode,
    RunningJob,
    WaitingJob,
)
from bot.insight.causes import Cause
from bot.insight.digest import days_of, gpus_of, overlap, owner_hours
from bot.insight.health import Health
from bot.insight.waiting import WaitReport, is_waiting

WAITING_SHOWN = 5
"""Longest-waiting jobs a digest names (each costs no call: the pool's reads are shared)."""
RUNNING_SHOWN = 10
"""Running jobs a digest names, those holding most GPUs first."""
IDLE_SHOWN = 10
"""Idle-GPU episodes a digest names, most GPU-hours first."""
CAUSE_JOBS = 3
"""Jobs named beside each cause."""
_REPORT = TypeAdapter(WaitReport)


@dataclass(frozen=True)
class Reads:
    """What one digest read: the covered jobs and what was learnt of some of them, by job id."""

    jobs: Sequence[Job]
    """The covered jobs, newest first."""
    pool_names: Mapping[str, str] = field(default_factory=dict)
    complete: bool = True
    healths: Mapping[str, Health] = field(default_factory=dict)
    """What the watcher keeps of the jobs it follows."""
    causes: Mapping[str, Cause] = field(default_factory=dict)
    """Likely causes of failed jobs whose log was read."""
    reports: Mapping[str, WaitReport] = field(default_factory=dict)
    """Why queued jobs wait."""


def compose(
    reads: Reads,
    *,
    period: DigestPeriod,
    end: datetime,
    pools: Sequence[str] = (),
    queues: Sequence[str] = (),
) -> Digest:
    """Return the digest of `[end - period, end)` from what was read."""
    start = end - period.span
    jobs = list({job.id: job for job in reads.jobs}.values())
    names = reads.pool_names
    return Digest(
        period=period,
        start=start,
        end=end,
        pools=list(pools),
        queues=list(queues),
        days=days_of(jobs, start, end, pool_names=names),
        causes=cause_counts(jobs, reads.causes),
        owners=owner_hours(jobs, start, end),
        waiting=[
            waiting_job(job, names, reads.reports.get(job.id))
            for job in longest_waiting(jobs, WAITING_SHOWN)
        ],
        running=running_jobs(jobs, names, reads.healths),
        idle=idle_episodes(jobs, names, reads.healths, start, end),
        jobs_read=len(jobs),
        complete=reads.complete,
    )


def digest_job(job: Job, pool_names: Mapping[str, str]) -> DigestJob:
    """Return the digest's reference to a job."""
    pool = pool_names.get(job.pool_id) or job.pool_id
    return DigestJob(id=job.id, name=job.name, pool=pool, queue=job.queue, owner=job.creator)


def failed_in(jobs: Sequence[Job], start: datetime, end: datetime) -> list[Job]:
    """Return the jobs that failed within `[start, end)`, newest first."""
    failed = [
        job
        for job in jobs
        if job.status is JobStatus.FAILED
        and job.finished_at is not None
        and start <= job.finished_at < end
    ]
    return sorted(failed, key=lambda job: job.finished_at or end, reverse=True)


def cause_counts(jobs: Sequence[Job], causes: Mapping[str, Cause]) -> list[CauseCount]:
    """Count the likely causes of the failures whose cause was read, most frequent first."""
    named: dict[tuple[str, str], list[str]] = {}
    for job in jobs:
        cause = causes.get(job.id)
        if cause is not None:
            named.setdefault((cause.key, cause.text), []).append(job.name or job.id)
    counts = [
        CauseCount(key=key, text=text, count=len(names), jobs=names[:CAUSE_JOBS])
        for (key, text), names in named.items()
    ]
    return sorted(counts, key=lambda part: (-part.count, part.key, part.text))


def waiting_since(job: Job) -> datetime | None:
    """Return since when a queued job waits: its creation, unless it ran before (unknown)."""
    return job.created_at if job.running_at is None else None


def longest_waiting(jobs: Sequence[Job], limit: int) -> list[Job]:
    """Return the `limit` queued jobs waiting longest; those of unknown wait come last."""
    queued = [job for job in jobs if is_waiting(job)]
    queued.sort(key=lambda job: (waiting_since(job) is None, waiting_since(job) or job.id))
    return queued[:limit]


def waiting_job(job: Job, pool_names: Mapping[str, str], report: WaitReport | None) -> WaitingJob:
    """Return a queued job as the digest names it, with why it waits when that was read."""
    raw = _REPORT.dump_python(report, mode="json") if report is not None else {}
    return WaitingJob(job=digest_job(job, pool_names), since=waiting_since(job), report=raw)


def wait_report(raw: Mapping[str, object]) -> WaitReport | None:
    """Read back a report `waiting_job` wrote; None when there is none or it is unreadable."""
    if not raw:
        return None
    try:
        return _REPORT.validate_python(raw)
    except ValueError:
        return None


def running_jobs(
    jobs: Sequence[Job], pool_names: Mapping[str, str], healths: Mapping[str, Health]
) -> list[RunningJob]:
    """Return the running jobs, most GPUs first, with the progress the watcher read."""
    running = [job for job in jobs if job.status is JobStatus.RUNNING]
    running.sort(key=lambda job: (-(gpus_of(job) or 0), job.running_at or job.created_at, job.id))
    out = []
    for job in running[:RUNNING_SHOWN]:
        health = healths.get(job.id)
        progress = health.progress.to_dict() if health and health.progress else {}
        out.append(
            RunningJob(
                job=digest_job(job, pool_names),
                since=job.running_at,
                gpus=gpus_of(job),
                progress=progress,
            )
        )
    return out


def idle_episodes(
    jobs: Sequence[Job],
    pool_names: Mapping[str, str],
    healths: Mapping[str, Health],
    start: datetime,
    end: datetime,
) -> list[IdleEpisode]:
    """Return the idle-GPU episodes the watcher told, clipped to the period, most GPU-hours
    first: those that ended, and the one going on, which lasts until the watcher's last look."""
    episodes = []
    for job in jobs:
        health = healths.get(job.id)
        gpus = gpus_of(job)
        if health is None or not gpus:
            continue
        spells = [(s.since, s.until) for s in health.idle_past]
        if health.idle_since is not None and health.looked_at is not None:
            spells.append((health.idle_since, health.looked_at))
        for since, until in spells:
            seconds = overlap((since, until), (start, end))
            if seconds > 0:
                episodes.append(
                    IdleEpisode(
                        job=digest_job(job, pool_names),
                        since=since,
                        until=until,
                        gpus=gpus,
                        gpu_hours=gpus * seconds / 3600,
                    )
                )
    episodes.sort(key=lambda part: (-part.gpu_hours, part.job.id))
    return episodes[:IDLE_SHOWN]
