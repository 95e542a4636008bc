"""Turn one poll's observation into the watched row's new values and the notices it owes.

Pure: everything it needs from the store comes in as `Inputs` (`bot/watch/inputs.py` gathers
them), and what it decides comes out as a `Plan` the poll tick writes, so it is tested without
I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain import Event, Job, JobStatus
from bot.insight.causes import UNKNOWN
from bot.insight.health import Health
from bot.store.enums import TargetKind
from bot.store.tables import SubscriptionRow
from bot.watch import notices as n
from bot.watch.kinds import NoticeKind
from bot.watch.looks import LOOK_AT
from bot.watch.observe import Observation, series_key
from bot.watch.payloads import (
    ENDED_PODS,
    CauseLine,
    EventLine,
    EventsPayload,
    FailurePayload,
    GonePayload,
    JobRef,
    LogsPayload,
    NoticePayload,
    PodEndLine,
    RestartPayload,
    TransitionPayload,
)
from bot.watch.plan_insight import (
    card_changed,
    card_of,
    health_after,
    health_notices,
    look_at,
    mentions_of,
    wait_at,
)
from bot.watch.plan_types import Channel, Context, Inputs, Plan, Series, SeriesWrite
from bot.watch.timing import jittered

DELETED = "Deleted"


def plan_job(inputs: Inputs, seen: Observation, ctx: Context) -> Plan:
    """Diff the observation against what was stored and decide every notice of every channel."""
    if seen.job is None:
        return _plan_deleted(inputs, ctx)
    job = seen.job
    if seen.tentative:
        again = jittered(ctx.now, max(ctx.interval / 3, 1.0))
        return Plan({"log_cursors": seen.cursors, "next_poll_at": again, "error_count": 0})
    baseline = inputs.last_status is None
    series, warnings = _new_warnings(inputs, job, seen, baseline=baseline, now=ctx.now)
    health = health_after(inputs, seen, ctx)
    plan = Plan(_values(inputs, job, seen, ctx, health), series=series)
    for channel in inputs.channels:
        plan.notices += _for_channel(inputs, channel, job, seen, warnings, ctx, health)
    return plan


def _values(
    inputs: Inputs, job: Job, seen: Observation, ctx: Context, health: Health
) -> dict[str, Any]:
    status = job.status.value
    follow = any(c.sub.notify_logs for c in inputs.channels)
    final = job.status.is_terminal
    times = [jittered(ctx.now, ctx.interval)] if follow and not final else []
    look = look_at(inputs, job, ctx)
    cursors = {k: v for k, v in seen.cursors.items() if k != LOOK_AT}
    if look is not None and not times:
        cursors[LOOK_AT] = look.isoformat()
    explain = wait_at(inputs, job, seen, ctx)
    times += [t for t in (look, explain) if t is not None]
    values: dict[str, Any] = {
        "last_status": status,
        "job_name": job.name[:255],
        "queue_name": job.queue[:128],
        "events_cursor": seen.events_cursor,
        "log_cursors": cursors,
        "follow_logs": follow,
        "active": not final and bool(inputs.channels),
        "last_polled_at": ctx.now,
        "error_count": 0,
        "last_error": None,
        "next_poll_at": min(times, default=None),
    }
    if health != inputs.health:
        values["insight"] = health.to_dict()
    if status != inputs.last_status:
        values["status_changed_at"] = ctx.now
    return values


def _new_warnings(
    inputs: Inputs, job: Job, seen: Observation, *, baseline: bool, now: datetime
) -> tuple[list[SeriesWrite], list[tuple[Event, int, str]]]:
    """Fold warnings into series; return the writes and those worth a notice (new, or doubled)."""
    stored = dict(inputs.series)
    writes: list[SeriesWrite] = []
    fresh: list[tuple[Event, int, str]] = []
    for event in seen.warnings:
        key = series_key(event)
        known = stored.get(key, Series())
        count = max(known.occurrences, event.count, 1)
        stamp = event.last_timestamp or event.first_timestamp or now
        values = {
            "reason": event.reason[:128],
            "event_type": event.type[:32],
            "message": event.message[:2000],
            "first_seen_at": event.first_timestamp or stamp,
            "last_seen_at": stamp,
            "occurrences": count,
        }
        quiet = bool(known.told) and count < 2 * known.told
        writes.append(SeriesWrite(key, values, None if quiet else count))
        stored[key] = Series(count, known.told if quiet else count)
        if not quiet and not baseline:
            fresh.append((event, count, key))
    return writes, fresh


def _for_channel(
    inputs: Inputs,
    channel: Channel,
    job: Job,
    seen: Observation,
    warnings: list[tuple[Event, int, str]],
    ctx: Context,
    health: Health,
) -> list[n.Notice]:
    sub, card = channel.sub, channel.card_id
    status = job.status.value
    baseline = inputs.last_status is None
    changed = not baseline and inputs.last_status != status
    is_job_sub = sub.target_kind is TargetKind.JOB
    appeared = baseline and not is_job_sub and inputs.news
    # The poll's time to the microsecond: a job can flip back and forth within one second, and
    # each flip is a change of its own (a plan is made once per committed status change).
    stamp = int(ctx.now.timestamp() * 1_000_000)
    out: list[n.Notice] = []

    def note(key: str, kind: NoticeKind, payload: NoticePayload) -> None:
        out.append(n.Notice(key, sub.workspace_id, sub.channel_id, kind, payload, card))

    # A queue or pool subscription's baseline is silent: a job hung when it began is not news.
    silent = n.is_muted(sub, ctx.now) or (baseline and not is_job_sub and not appeared)
    told = [] if silent else health_notices(inputs, channel, job, seen, ctx, health)
    redraw = card_changed(inputs, seen, health, sub)
    if not channel.card_out:
        if not (changed or is_job_sub or appeared or told):
            return []
        note(f"card:{card}", NoticeKind.CARD, card_of(job, health, sub, seen))
    elif changed or redraw:
        note(
            f"cardv:{card}:{status}:{stamp}",
            NoticeKind.CARD_UPDATE,
            card_of(job, health, sub, seen),
        )
    if n.is_muted(sub, ctx.now):
        return out
    out += told
    news = changed or (appeared and job.status.is_terminal)
    restart = (
        seen.restarted > 0
        and sub.notify_status
        and n.passes_filter(sub, JobStatus.RESTARTING.value)
    )
    # A restart's reply says the status too, with its likely cause: no second reply for it.
    told_by_restart = restart and job.status is JobStatus.RESTARTING
    if news and sub.notify_status and n.passes_filter(sub, status) and not told_by_restart:
        kind, payload = _transition(inputs, sub, job, seen, ctx)
        note(f"st:{card}:{status}:{stamp}", kind, payload)
    if restart:
        note(f"rs:{card}:{seen.restart_total}", NoticeKind.RESTART, _restart(job, seen))
    if baseline:
        return out
    if warnings and sub.notify_events and not n.failed(status):
        key = f"ev:{card}:" + n.digest(*[(k, c) for _, c, k in warnings])
        events = [EventLine.of(e, c) for e, c, _ in warnings]
        note(key, NoticeKind.EVENTS, EventsPayload(job=JobRef.of(job), events=events))
    if seen.new_lines and sub.notify_logs:
        lines = seen.new_lines[-ctx.tail_lines :]
        key = f"log:{card}:" + n.digest(seen.log_pod, len(seen.new_lines), *lines[-3:], stamp)
        skipped = len(seen.new_lines) - len(lines)
        logs = LogsPayload(job=JobRef.of(job), pod=seen.log_pod, lines=lines, skipped=skipped)
        note(key, NoticeKind.LOGS, logs)
    return out


def _transition(
    inputs: Inputs, sub: SubscriptionRow, job: Job, seen: Observation, ctx: Context
) -> tuple[NoticeKind, NoticePayload]:
    ref, status = JobRef.of(job), job.status.value
    if not n.failed(status):
        return NoticeKind.TRANSITION, TransitionPayload(job=ref, old=inputs.last_status, new=status)
    # The observation matched the cause off the event loop; the planner only reads it.
    cause = seen.cause or UNKNOWN
    payload = FailurePayload(
        job=ref,
        old=inputs.last_status,
        new=status,
        cause=CauseLine(key=cause.key, text=cause.text),
        pod=seen.log_pod,
        lines=seen.failure_tail,
        events=[EventLine.of(e, max(e.count, 1)) for e in seen.warnings][-10:],
        mentions=mentions_of(inputs, sub, job),
        ended=[PodEndLine.of(pod) for pod in job.ended_pods[:ENDED_PODS]],
    )
    return NoticeKind.FAILURE, payload


def _restart(job: Job, seen: Observation) -> RestartPayload:
    cause = seen.cause or UNKNOWN
    return RestartPayload(
        job=JobRef.of(job),
        status=job.status.value,
        count=seen.restarted,
        total=seen.restart_total,
        cause=CauseLine(key=cause.key, text=cause.text),
        pod=seen.log_pod,
        lines=seen.failure_tail[-10:],
        events=[EventLine.of(e, max(e.count, 1)) for e in seen.warnings][-5:],
    )


def _plan_deleted(inputs: Inputs, ctx: Context) -> Plan:
    values = {
        "last_status": DELETED,
        "active": False,
        "next_poll_at": None,
        "last_polled_at": ctx.now,
        "status_changed_at": ctx.now,
    }
    plan = Plan(values)
    if inputs.last_status in (None, DELETED):
        return plan
    ref = JobRef(
        id=inputs.job_id, name=inputs.job_name, pool=inputs.pool_id, queue=inputs.queue_name
    )
    for channel in inputs.channels:
        sub = channel.sub
        if channel.card_out and not n.is_muted(sub, ctx.now):
            payload = GonePayload(job=ref, old=inputs.last_status)
            plan.notices.append(
                n.Notice(
                    f"gone:{channel.card_id}",
                    sub.workspace_id,
                    sub.channel_id,
                    NoticeKind.GONE,
                    payload,
                    channel.card_id,
                )
            )
    return plan
