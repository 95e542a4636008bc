"""Turn one poll's observation into the watched row's new values and the notices it owes.

Pure: everything it needs from the store comes in as `Inputs` (`bot/watch/inputs.py` gathers
them), and what it decides comes out as a `Plan` the poll tick writes, so it is tested without
I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain import Event, Job, JobStatus
from bot.insight.health import Change, Health
from bot.services.actor import SLACK_TEAM_LABEL, SLACK_USER_LABEL
from bot.store.enums import TargetKind
from bot.store.tables import SubscriptionRow
from bot.watch import notices as n
from bot.watch.causes import UNKNOWN, Rule
from bot.watch.kinds import NoticeKind
from bot.watch.looks import LOOK_AT, LookConfig
from bot.watch.observe import Observation, series_key
from bot.watch.payloads import (
    ENDED_PODS,
    CardPayload,
    CauseLine,
    EventLine,
    EventsPayload,
    FailurePayload,
    GonePayload,
    HangPayload,
    IdlePayload,
    JobRef,
    LogsPayload,
    NoticePayload,
    PodEndLine,
    ResumedPayload,
    TransitionPayload,
)
from bot.watch.timing import jittered

DELETED = "Deleted"


@dataclass
class Context:
    """What planning needs besides the row: the time, the interval and the cause rules."""

    now: datetime
    interval: float
    rules: tuple[Rule, ...] = ()
    tail_lines: int = 20
    looks: LookConfig | None = None
    """How often running jobs are looked at; None: never."""


@dataclass(frozen=True)
class Channel:
    """A channel that follows the job: its subscription, its card and whether the card is out."""

    sub: SubscriptionRow
    card_id: int
    card_out: bool
    """The card's first post is made or queued, so changes edit it instead."""


@dataclass(frozen=True)
class Series:
    """What is stored of one warning event series: its count and how much was told."""

    occurrences: int = 0
    told: int = 0


@dataclass(frozen=True)
class Inputs:
    """Everything planning reads from the store about one watched job."""

    job_id: str
    pool_id: str
    job_name: str = ""
    queue_name: str = ""
    last_status: str | None = None
    news: bool = False
    """The job appeared after a queue or pool subscription began (not part of its baseline)."""
    channels: tuple[Channel, ...] = ()
    series: Mapping[str, Series] = field(default_factory=dict)
    linked: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Slack users linked to the job's AIHC creator, by workspace."""
    health: Health = field(default_factory=Health)
    """What the last looks found, as stored."""


@dataclass(frozen=True)
class SeriesWrite:
    """One event series to store: its fields, and its new told count when a notice tells it."""

    key: str
    values: dict[str, Any]
    told: int | None = None


@dataclass
class Plan:
    """The row's new values, the series to store and the notices, to commit together."""

    values: dict[str, Any]
    notices: list[n.Notice] = field(default_factory=list)
    series: list[SeriesWrite] = field(default_factory=list)


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
    plan = Plan(_values(inputs, job, seen, ctx), series=series)
    for channel in inputs.channels:
        plan.notices += _for_channel(inputs, channel, job, seen, warnings, ctx)
    return plan


def wants_looks(sub: SubscriptionRow) -> bool:
    """Say whether a subscription shows or tells anything a look finds."""
    return sub.notify_progress or sub.notify_hang or sub.notify_idle


def _card(job: Job, health: Health, sub: SubscriptionRow) -> CardPayload:
    """Return a channel's card: the health its subscription wants shown, or none."""
    if not wants_looks(sub) or health.looked_at is None:
        return CardPayload.of(job)
    shown = health if sub.notify_progress else health.model_copy(update={"progress": None})
    return CardPayload.of(job, shown)


def _values(inputs: Inputs, job: Job, seen: Observation, ctx: Context) -> dict[str, Any]:
    status = job.status.value
    follow = any(c.sub.notify_logs for c in inputs.channels)
    final = job.status.is_terminal
    times = [jittered(ctx.now, ctx.interval)] if follow and not final else []
    look_at = _look_at(inputs, job, ctx)
    cursors = {k: v for k, v in seen.cursors.items() if k != LOOK_AT}
    if look_at is not None and not times:
        cursors[LOOK_AT] = look_at.isoformat()
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
        "next_poll_at": min([*times, *([look_at] if look_at else [])], default=None),
    }
    if seen.looked is not None:
        values["insight"] = seen.looked.health.to_dict()
    if status != inputs.last_status:
        values["status_changed_at"] = ctx.now
    return values


def _look_at(inputs: Inputs, job: Job, ctx: Context) -> datetime | None:
    """Return when a running job followed for what looks find is looked at next, or None."""
    if ctx.looks is None or job.status is not JobStatus.RUNNING:
        return None
    if not any(wants_looks(c.sub) for c in inputs.channels):
        return None
    # Spread over 0–10 % after the interval, never before it: at most one look per interval.
    return jittered(ctx.now, ctx.looks.every.total_seconds() * 1.05, spread=0.05 / 1.05)


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

    health = seen.looked.health if seen.looked is not None else inputs.health
    told = [] if n.is_muted(sub, ctx.now) else _health_notices(inputs, channel, job, seen, ctx)
    redraw = seen.looked is not None and health.face() != inputs.health.face()
    if not channel.card_out:
        if not (changed or is_job_sub or appeared or told):
            return []
        note(f"card:{card}", NoticeKind.CARD, _card(job, health, sub))
    elif changed or (redraw and wants_looks(sub)):
        note(f"cardv:{card}:{status}:{stamp}", NoticeKind.CARD_UPDATE, _card(job, health, sub))
    if n.is_muted(sub, ctx.now):
        return out
    out += told
    news = changed or (appeared and job.status.is_terminal)
    if news and sub.notify_status and n.passes_filter(sub, status):
        kind, payload = _transition(inputs, sub, job, seen, ctx)
        note(f"st:{card}:{status}:{stamp}", kind, payload)
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


def _health_notices(
    inputs: Inputs, channel: Channel, job: Job, seen: Observation, ctx: Context
) -> list[n.Notice]:
    """Return the hang, resumed and idle replies a look's changes owe one channel."""
    if seen.looked is None:
        return []
    sub, card, health = channel.sub, channel.card_id, seen.looked.health
    ref, at = JobRef.of(job), ctx.now
    out: list[n.Notice] = []

    def note(key: str, kind: NoticeKind, payload: NoticePayload) -> None:
        out.append(n.Notice(key, sub.workspace_id, sub.channel_id, kind, payload, card))

    for change in seen.looked.changes:
        if change is Change.HUNG and sub.notify_hang and health.hung_since is not None:
            since = health.hung_since
            payload: NoticePayload = HangPayload(
                job=ref,
                since=since,
                at=at,
                last_line=health.last_line,
                gpu_percent=health.gpu_percent,
                mentions=_mentions(inputs, sub, job),
            )
            note(f"hang:{card}:{_micros(since)}", NoticeKind.HANG, payload)
        elif change is Change.RESUMED and sub.notify_hang and inputs.health.hung_since:
            since = inputs.health.hung_since
            payload = ResumedPayload(job=ref, since=since, at=at)
            note(f"resumed:{card}:{_micros(since)}", NoticeKind.RESUMED, payload)
        elif change is Change.IDLE and sub.notify_idle and health.idle_since is not None:
            since = health.idle_since
            gpus = job.gpu_count * (job.replicas or 1)
            payload = IdlePayload(
                job=ref,
                since=since,
                at=at,
                gpus=gpus,
                gpu_percent=health.gpu_percent,
                mentions=_mentions(inputs, sub, job),
            )
            note(f"idle:{card}:{_micros(since)}", NoticeKind.IDLE, payload)
    return out


def _micros(when: datetime) -> int:
    return int(when.timestamp() * 1_000_000)


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
        mentions=_mentions(inputs, sub, job),
        ended=[PodEndLine.of(pod) for pod in job.ended_pods[:ENDED_PODS]],
    )
    return NoticeKind.FAILURE, payload


def _mentions(inputs: Inputs, sub: SubscriptionRow, job: Job) -> list[str]:
    """Return who a failure pings: the user the subscription names, else the job's owner."""
    if sub.mention and sub.mention != "owner":
        return [sub.mention]
    users: list[str] = []
    creator = job.labels.get(SLACK_USER_LABEL)
    if creator and job.labels.get(SLACK_TEAM_LABEL, sub.workspace_id) == sub.workspace_id:
        users.append(creator)
    users += [u for u in inputs.linked.get(sub.workspace_id, ()) if u not in users]
    return users[:5]


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
