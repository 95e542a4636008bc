"""Fetch what changed about one watched job: detail, new warning events, new log lines.

Only jobs that the sweep found changed (or that follow logs) get here, so these calls are the
per-job cost of watching; everything else comes from one job list per pool. Log lines arrive
bounded (`bot.domain.logtext`, applied by the AIHC client); a failed job's likely cause is matched
here, in a thread, before the poll's transaction opens.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcNotFound
from bot.domain import Event, Job, JobStatus, Pod
from bot.insight.causes import Cause, Rule, likely_cause
from bot.insight.health import Health, hang_reported, reports_hang
from bot.insight.waiting import WaitReport
from bot.store.tables import WatchedJobRow
from bot.watch.looks import (
    LOOK,
    LOOK_AT,
    LOOK_LINES,
    LookConfig,
    Looked,
    look_due,
    take_look,
)
from bot.watch.waits import WaitReads, explain_due, waiting_since

TENTATIVE = "~tentative"
NEWS = "~news"
"""Set on a job a queue or pool subscription found after its baseline: its card is news."""
TAIL = "~tail"
LOG_FETCH = 200
EVENT_SLOP = timedelta(seconds=1)


@dataclass
class Observation:
    """What one poll saw of a job; `job` is None when AIHC says it no longer exists."""

    job: Job | None
    warnings: list[Event] = field(default_factory=list)
    events_cursor: str | None = None
    new_lines: list[str] = field(default_factory=list)
    log_pod: str = ""
    failure_tail: list[str] = field(default_factory=list)
    cursors: dict[str, Any] = field(default_factory=dict)
    tentative: bool = False
    cause: Cause | None = None
    """The likely cause of a failure, when the job failed and rules were given."""
    looked: Looked | None = None
    """A running job's look at its log and GPUs, when one was due."""
    waiting: WaitReport | None = None
    """Why a queued job waits, once it waited `WATCH_PENDING_MINUTES` (once per spell)."""
    waiting_since: datetime | None = None
    restart_total: int = 0
    """The job's restarts as AIHC counts them now (its most restarted pod's)."""
    restarted: int = 0
    """Restarts since the last poll (none on the first)."""


def series_key(event: Event) -> str:
    """Name an event series: the same reason and message repeat as one series."""
    raw = f"{event.reason}\x00{event.message[:300]}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def failing_pod(job: Job) -> Pod | None:
    """Return the pod to show the log of: a failed one, else rank 0."""
    for pod in job.pods:
        if pod.phase.lower() == "failed":
            return pod
    return job.rank_zero_pod


def new_lines(fetched: list[str], seen_tail: list[str]) -> list[str]:
    """Return the lines after the last overlap with what was seen (all when nothing overlaps)."""
    digests = [_digest(line) for line in fetched]
    for size in range(min(len(seen_tail), len(digests)), 0, -1):
        wanted = seen_tail[-size:]
        for end in range(len(digests), size - 1, -1):
            if digests[end - size : end] == wanted:
                return fetched[end:]
    return fetched


def _digest(line: str) -> str:
    return hashlib.sha256(line.encode()).hexdigest()[:12]


def _parse(cursor: str | None) -> datetime | None:
    return datetime.fromisoformat(cursor) if cursor else None


def cause_texts(seen: Observation) -> list[str]:
    """Return what the likely cause is read from: the failure tail, then the warning events."""
    return [*seen.failure_tail, *(f"{e.reason}: {e.message}" for e in seen.warnings)]


async def observe(
    aihc: AihcClient,
    row: WatchedJobRow,
    *,
    follow_logs: bool,
    tail_lines: int,
    rules: Sequence[Rule] | None = None,
    looks: LookConfig | None = None,
    now: datetime | None = None,
    waits: WaitReads | None = None,
) -> Observation:
    """Fetch the job, and the events and logs the change calls for; raises other AIHC errors.

    With `rules` (the user's, tried before the built-in ones), a failed job's likely cause is
    matched in a worker thread; without, it is left to the planner.
    """
    try:
        # A row may not know its queue yet (watched before v2, or straight from a sweep that
        # had none): the job is then asked of each queue once, and its queue kept after.
        job = await aihc.find_job(row.pool_id, row.job_id, queue=row.queue_name)
    except AihcNotFound:
        return Observation(job=None, cursors=dict(row.log_cursors or {}))
    seen = Observation(job=job, cursors=dict(row.log_cursors or {}))
    seen.cursors.pop(TENTATIVE, None)
    seen.cursors.pop(NEWS, None)
    look_only = _look_only(row, job, seen.cursors.pop(LOOK_AT, None))
    if _tentative_failure(job, row):
        seen.tentative = True
        seen.cursors[TENTATIVE] = job.status.value
        seen.events_cursor = row.events_cursor
        return seen
    restarted = _restarts(job, row, seen)
    if look_only and not restarted:
        seen.events_cursor = row.events_cursor  # nothing changed: events wait for a change
    else:
        await _events(aihc, job, row, seen)
    if follow_logs:
        await _follow_logs(aihc, job, seen)
    if looks is not None and now is not None:
        await _insights(aihc, job, row, seen, looks, now, waits)
        _hang_events(row, seen, now)
    if job.status is JobStatus.FAILED or restarted:
        await _failure_tail(aihc, job, seen, tail_lines)
        if rules is not None:
            seen.cause = await asyncio.to_thread(likely_cause, cause_texts(seen), extra=rules)
    return seen


async def _insights(
    aihc: AihcClient,
    job: Job,
    row: WatchedJobRow,
    seen: Observation,
    looks: LookConfig,
    now: datetime,
    waits: WaitReads | None,
) -> None:
    """Look at a running job when due; explain a queued one once it waited long enough."""
    health = Health.from_dict(row.insight)
    if look_due(job, health, now, looks.every):
        lines = await _look_lines(aihc, job, seen)
        seen.looked = await take_look(aihc, job, health, lines, now, looks)
    changed = job.status.value != row.last_status
    since = waiting_since(job, now if changed else row.status_changed_at)
    if waits is not None and explain_due(job, since, health.waiting_told, now, looks.pending):
        seen.waiting, seen.waiting_since = await waits.explain(job), since


def _hang_events(row: WatchedJobRow, seen: Observation, now: datetime) -> None:
    """Tell a hang AIHC reported in a warning event as a hang episode, never also as an event."""
    reported = [e for e in seen.warnings if reports_hang(e.reason, e.message)]
    if not reported:
        return
    seen.warnings = [e for e in seen.warnings if e not in reported]
    if seen.job is None or seen.job.status is not JobStatus.RUNNING:
        return
    base = seen.looked.health if seen.looked is not None else Health.from_dict(row.insight)
    at = reported[0].first_timestamp or reported[0].last_timestamp or now
    health, changes = hang_reported(base, at)
    if changes:
        earlier = seen.looked.changes if seen.looked is not None else []
        seen.looked = Looked(health, [*earlier, *changes])


def _restarts(job: Job, row: WatchedJobRow, seen: Observation) -> bool:
    """Count the job's restarts; say whether some happened since the last poll (not the first).

    A fault-tolerance restart restarts every pod once, so the job's count is its most restarted
    pod's, not their sum.
    """
    seen.restart_total = max((pod.restart_count for pod in job.pods), default=0)
    known = Health.from_dict(row.insight).restart_total
    seen.restarted = max(0, seen.restart_total - known) if known is not None else 0
    return seen.restarted > 0


def _look_only(row: WatchedJobRow, job: Job, look_at: object) -> bool:
    """Say whether this poll is only the look planned for a job that is still as it was."""
    planned = row.next_poll_at is not None and look_at == row.next_poll_at.isoformat()
    return planned and not row.follow_logs and job.status.value == row.last_status


def _tentative_failure(job: Job, row: WatchedJobRow) -> bool:
    """With fault tolerance, Failed is final only once finishedAt is set or two polls agree."""
    if job.status is not JobStatus.FAILED or not job.fault_tolerance or job.finished_at:
        return False
    return (row.log_cursors or {}).get(TENTATIVE) != JobStatus.FAILED.value


async def _events(aihc: AihcClient, job: Job, row: WatchedJobRow, seen: Observation) -> None:
    since = _parse(row.events_cursor)
    start = since - EVENT_SLOP if since else None
    events = await aihc.job_events(
        job.pool_id, job.id, framework=job.framework, start=start, queue=job.queue
    )
    stamps = [e.last_timestamp or e.first_timestamp for e in events]
    latest = max((s for s in stamps if s is not None), default=since)
    seen.events_cursor = latest.isoformat() if latest else row.events_cursor
    seen.warnings = [e for e in events if e.is_warning]


async def _follow_logs(aihc: AihcClient, job: Job, seen: Observation) -> None:
    pod = job.rank_zero_pod
    if pod is None:
        return
    logs = await aihc.pod_logs(job.pool_id, job.id, pod.name, max_lines=LOG_FETCH, queue=job.queue)
    tails: dict[str, list[str]] = seen.cursors.setdefault(TAIL, {})
    fresh = new_lines(list(logs.lines), tails.get(pod.name, []))
    tails[pod.name] = [_digest(line) for line in logs.lines[-8:]]
    seen.new_lines, seen.log_pod = fresh, pod.name


async def _look_lines(aihc: AihcClient, job: Job, seen: Observation) -> list[str]:
    """Return the rank-0 log's lines new since the last look (a follow's, when it read them)."""
    pod = job.rank_zero_pod
    if pod is None:
        return []
    if seen.log_pod == pod.name and TAIL in seen.cursors:
        return list(seen.new_lines)
    logs = await aihc.pod_logs(job.pool_id, job.id, pod.name, max_lines=LOOK_LINES, queue=job.queue)
    tails: dict[str, list[str]] = {pod.name: seen.cursors.get(LOOK, {}).get(pod.name, [])}
    fresh = new_lines(list(logs.lines), tails[pod.name])
    seen.cursors[LOOK] = {pod.name: [_digest(line) for line in logs.lines[-8:]]}
    return fresh


async def _failure_tail(aihc: AihcClient, job: Job, seen: Observation, lines: int) -> None:
    pod = failing_pod(job)
    if pod is None:
        return
    if seen.log_pod == pod.name and seen.new_lines:
        seen.failure_tail = seen.new_lines[-lines:]
        return
    logs = await aihc.pod_logs(job.pool_id, job.id, pod.name, max_lines=lines, queue=job.queue)
    seen.failure_tail, seen.log_pod = list(logs.lines[-lines:]), pod.name
