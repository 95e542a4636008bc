"""A digest's numbers from the jobs read: GPU-hours per day, queue and owner, outcomes per day.

Pure arithmetic over domain jobs. A job's GPU-hours are the overlap of `[runningAt, finishedAt)`
(a job still active runs to the period's end) with the period or one day of it, times its GPUs
(per replica × replicas). What AIHC left out is left out: no `runningAt`, no replica count, or a
finished job without `finishedAt` adds nothing, rather than a guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from bot.domain import Job
from bot.domain.digest import DigestDay, OutcomeCount, OwnerHours, QueueHours

DAY = timedelta(days=1)
HOUR_SECONDS = 3600.0


def gpus_of(job: Job) -> int | None:
    """Return the GPUs a job holds (per replica × replicas); None when AIHC does not say."""
    if job.replicas is None or job.replicas <= 0:
        return None
    return job.gpu_count * job.replicas


def run_span(job: Job, end: datetime) -> tuple[datetime, datetime] | None:
    """Return when a job ran, `[runningAt, finishedAt or end)`; None when that is unknown."""
    if job.running_at is None:
        return None
    if job.finished_at is not None:
        return job.running_at, job.finished_at
    # A finished job without finishedAt ran until some unknown time: not guessed.
    return None if job.status.is_terminal else (job.running_at, end)


def gpu_hours(job: Job, start: datetime, end: datetime) -> float | None:
    """Return the GPU-hours a job ran within `[start, end)`; None when they cannot be told."""
    span = run_span(job, end)
    gpus = gpus_of(job)
    if span is None or gpus is None:
        return None
    return gpus * overlap(span, (start, end)) / HOUR_SECONDS


def overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> float:
    """Return the seconds two spans share (0 when they do not meet)."""
    return max(0.0, (min(a[1], b[1]) - max(a[0], b[0])).total_seconds())


def day_starts(start: datetime, end: datetime) -> list[datetime]:
    """Return the starts of the 24-hour slices of `[start, end)`, oldest first."""
    count = max(1, math.ceil((end - start) / DAY))
    return [start + i * DAY for i in range(count)]


def finished_in(job: Job, start: datetime, end: datetime) -> bool:
    """Say whether a job reached its final status within `[start, end)`."""
    done = job.finished_at
    return job.status.is_terminal and done is not None and start <= done < end


def days_of(
    jobs: Iterable[Job], start: datetime, end: datetime, *, pool_names: Mapping[str, str]
) -> list[DigestDay]:
    """Return each day's GPU-hours per queue and jobs finished per status, oldest first."""
    starts = day_starts(start, end)
    hours: list[dict[tuple[str, str], float]] = [{} for _ in starts]
    outcomes: list[dict[str, int]] = [{} for _ in starts]
    for job in jobs:
        pool = pool_names.get(job.pool_id) or job.pool_id
        for index, day in enumerate(starts):
            spent = gpu_hours(job, day, min(day + DAY, end))
            if spent:
                key = (pool, job.queue)
                hours[index][key] = hours[index].get(key, 0.0) + spent
        if finished_in(job, start, end) and job.finished_at is not None:
            index = min(int((job.finished_at - start) / DAY), len(starts) - 1)
            status = job.status.value
            outcomes[index][status] = outcomes[index].get(status, 0) + 1
    return [
        DigestDay(start=day, gpu_hours=_queue_hours(hours[i]), outcomes=_counts(outcomes[i]))
        for i, day in enumerate(starts)
    ]


def owner_hours(jobs: Iterable[Job], start: datetime, end: datetime) -> list[OwnerHours]:
    """Return GPU-hours per owner (the job's AIHC creator) within `[start, end)`, most first."""
    totals: dict[str, float] = {}
    for job in jobs:
        spent = gpu_hours(job, start, end)
        if spent:
            totals[job.creator] = totals.get(job.creator, 0.0) + spent
    parts = [OwnerHours(owner=owner, gpu_hours=h) for owner, h in totals.items()]
    return sorted(parts, key=lambda part: (-part.gpu_hours, part.owner))


def _queue_hours(totals: Mapping[tuple[str, str], float]) -> list[QueueHours]:
    parts = [QueueHours(pool=p, queue=q, gpu_hours=h) for (p, q), h in totals.items()]
    return sorted(parts, key=lambda part: (-part.gpu_hours, part.pool, part.queue))


def _counts(totals: Mapping[str, int]) -> list[OutcomeCount]:
    return [OutcomeCount(status=s, count=c) for s, c in sorted(totals.items())]


def ran_in(jobs: Sequence[Job], start: datetime, end: datetime) -> list[Job]:
    """Return the jobs that ran some time within `[start, end)`."""
    spans = ((job, run_span(job, end)) for job in jobs)
    return [job for job, span in spans if span is not None and overlap(span, (start, end)) > 0]
