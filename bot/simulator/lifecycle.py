"""Job lifecycles as plans on the simulated clock, read lazily: no job is touched until asked about.

A plan is two parallel lists, `times` and `statuses`; a job's status at `t` is the last entry at
or before `t` (a bisect), so 50,000 jobs cost nothing while nobody looks at them.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass

from bot.domain import TERMINAL_STATUSES, JobStatus
from bot.simulator.model import Job

S = JobStatus
FAILURES = ("cuda_oom", "nccl_timeout", "python_error", "image_pull", "gpu_xid")
OUTCOMES = ("succeeded", "running", *FAILURES)
EXIT_CODES = {
    "cuda_oom": 1,
    "nccl_timeout": 134,
    "python_error": 1,
    "image_pull": 1,
    "gpu_xid": 139,
}


@dataclass(frozen=True, slots=True)
class Pace:
    """Ranges (simulated seconds) each stage lasts; `QUICK_PACE` keeps the demo lively."""

    pending: tuple[float, float] = (5, 40)
    starting: tuple[float, float] = (15, 60)
    running: tuple[float, float] = (600, 5400)
    pull_backoff: tuple[float, float] = (240, 420)
    restart_down: tuple[float, float] = (20, 60)


NORMAL_PACE = Pace()
QUICK_PACE = Pace((4, 12), (5, 15), (45, 150), (40, 80), (8, 20))


def plan_job(
    job: Job, rng: random.Random, pace: Pace = NORMAL_PACE, restart: bool | None = None
) -> None:
    """Lay out the job's whole life from its creation on, by its outcome."""
    t = job.created_at
    marks: list[tuple[float, JobStatus]] = [(t, S.CREATED)]
    for status, span in (
        (S.PENDING, (1.0, 3.0)),
        (S.SCHEDULED, pace.pending),
        (S.STARTING, (2.0, 6.0)),
    ):
        t += rng.uniform(*span)
        marks.append((t, status))
    if job.outcome == "image_pull":
        marks.append((t + rng.uniform(*pace.pull_backoff), S.FAILED))
        _set_plan(job, marks)
        return
    t += rng.uniform(*pace.starting)
    marks.append((t, S.RUNNING))
    run = None if job.outcome == "running" else rng.uniform(*pace.running)
    chance = rng.random()
    if job.fault_tolerance and (chance < 0.4 if restart is None else restart):
        at = t + (run if run is not None else pace.running[1]) * rng.uniform(0.3, 0.6)
        # AIHC shows Failed (no finishedAt) for a few seconds before fault tolerance restarts.
        down = at + rng.uniform(3.0, 8.0)
        back = down + rng.uniform(*pace.restart_down)
        marks += [(at, S.FAILED), (down, S.RESTARTING), (back, S.RUNNING)]
        job.restarts = [at]
        if run is not None:
            run += back - at
    if run is not None:
        marks.append((t + run, S.SUCCEEDED if job.outcome == "succeeded" else S.FAILED))
    _set_plan(job, marks)


def _set_plan(job: Job, marks: list[tuple[float, JobStatus]]) -> None:
    job.times = [m[0] for m in marks]
    job.statuses = [m[1] for m in marks]
    job.exit_code = EXIT_CODES.get(job.outcome, 1)


def status_at(job: Job, now: float) -> JobStatus:
    """Return the job's status at simulated time `now`."""
    index = bisect_right(job.times, now) - 1
    return job.statuses[max(index, 0)]


def finished_at(job: Job, now: float) -> float | None:
    """Return when the job reached its final status, or None while it has not."""
    index = bisect_right(job.times, now) - 1
    if index == len(job.statuses) - 1 and job.statuses[index] in TERMINAL_STATUSES:
        return job.times[index]
    return None


def is_transient_failure(job: Job, index: int) -> bool:
    """Say whether the plan's `index`-th status is a Failed that fault tolerance restarts."""
    return (
        job.statuses[index] is S.FAILED
        and index + 1 < len(job.statuses)
        and job.statuses[index + 1] is S.RESTARTING
    )


def index_of(job: Job, status: JobStatus) -> int:
    """Find `status` in the plan: its last occurrence when terminal (the final one), else first."""
    if status.is_terminal:
        return len(job.statuses) - 1 - job.statuses[::-1].index(status)
    return job.statuses.index(status)


def history(job: Job, now: float) -> list[tuple[float, JobStatus]]:
    """Return every status the job has been through by `now`, oldest first."""
    count = bisect_right(job.times, now)
    return list(zip(job.times[:count], job.statuses[:count], strict=True))


def running_spans(job: Job, now: float) -> list[tuple[float, float]]:
    """Return the (start, end) spans the job's containers ran, clipped to `now`."""
    spans: list[tuple[float, float]] = []
    start: float | None = None
    for at, status in history(job, now):
        if status is S.RUNNING and start is None:
            start = at
        elif status is not S.RUNNING and start is not None:
            spans.append((start, at))
            start = None
    if start is not None:
        spans.append((start, now))
    return spans


def force(job: Job, status: JobStatus, now: float) -> None:
    """Make the job enter `status` at `now`, dropping whatever its plan held after that."""
    keep = bisect_right(job.times, now)
    del job.times[keep:]
    del job.statuses[keep:]
    job.restarts = [r for r in job.restarts if r <= now]
    if not job.statuses or job.statuses[-1] is not status:
        job.times.append(now)
        job.statuses.append(status)
    if status is S.RESTARTING:
        job.restarts.append(now)


RESTART_DOWN = 5.0
"""Seconds a fault-tolerance restart shows Failed before Restarting, as AIHC does."""
RESTART_BACK = 25.0
"""Seconds from the fault until the job runs again."""


def restart(job: Job, now: float, cause: str) -> None:
    """Restart the job by fault tolerance now, for `cause`; the rest of its plan comes later."""
    keep = bisect_right(job.times, now)
    later = list(zip(job.times[keep:], job.statuses[keep:], strict=True))
    del job.times[keep:]
    del job.statuses[keep:]
    marks = [(now, S.FAILED), (now + RESTART_DOWN, S.RESTARTING), (now + RESTART_BACK, S.RUNNING)]
    marks += [(at + RESTART_BACK, status) for at, status in later]
    job.times += [m[0] for m in marks]
    job.statuses += [m[1] for m in marks]
    job.restarts = sorted([*(r if r <= now else r + RESTART_BACK for r in job.restarts), now])
    job.restart_causes = (*job.restart_causes, (now, cause))


def fail(job: Job, now: float, *, reason: str, exit_code: int) -> None:
    """Fail the job now; a known cause (e.g. `cuda_oom`) picks the matching logs and events."""
    job.outcome = reason if reason in FAILURES else "custom"
    job.reason = "" if reason in FAILURES else reason
    job.exit_code = exit_code
    force(job, S.FAILED, now)


def place(job: Job, target: JobStatus, now: float, since: float) -> None:
    """Shift the job's plan so that at `now` it has been in `target` for about `since` seconds."""
    if target not in job.statuses:
        start = job.times[job.statuses.index(S.RUNNING)] if S.RUNNING in job.statuses else 0.0
        force(job, target, max(start, job.times[-1] if target.is_terminal else start) + 60)
    index = index_of(job, target)
    window = job.times[index + 1] - job.times[index] if index + 1 < len(job.times) else None
    if window is not None:
        since = min(max(since, 0.0), max(window - 1.0, 0.0))
    shift = now - (job.times[index] + since)
    job.created_at += shift
    job.times = [t + shift for t in job.times]
    job.restarts = [r + shift for r in job.restarts]


def left_to_since(job: Job, target: JobStatus, left: float) -> float:
    """Convert 'the next transition comes in `left` seconds' into a `since` for `place`."""
    index = index_of(job, target)
    if index + 1 >= len(job.times):
        return -left
    return job.times[index + 1] - job.times[index] - left


_RANK = {"low": 0, "normal": 1, "high": 2}


def reprioritise(job: Job, priority: str, now: float) -> None:
    """Change a job's priority; a queued job moves up (scheduled soon) or down (later)."""
    change = _RANK.get(priority, 1) - _RANK.get(job.priority, 1)
    job.priority = priority
    if change == 0 or status_at(job, now) not in (S.CREATED, S.PENDING):
        return
    later = bisect_right(job.times, now)
    if later >= len(job.times):
        return
    # Higher priority: the scheduler picks the job within seconds; lower: it waits minutes more.
    shift = min(0.0, now + 2.0 - job.times[later]) if change > 0 else 120.0 * -change
    job.times[later:] = [t + shift for t in job.times[later:]]
    job.restarts = [r + shift if r > now else r for r in job.restarts]
