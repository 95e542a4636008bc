"""The planner's part about what looks find and why jobs wait: cards, replies and poll times."""

from __future__ import annotations

from datetime import datetime

from bot.domain import Job, JobStatus
from bot.insight.health import Change, Health
from bot.insight.waiting import is_waiting
from bot.services.actor import SLACK_TEAM_LABEL, SLACK_USER_LABEL
from bot.store.tables import SubscriptionRow
from bot.watch import notices as n
from bot.watch.kinds import NoticeKind
from bot.watch.observe import Observation
from bot.watch.payloads import (
    CardPayload,
    HangPayload,
    IdlePayload,
    JobRef,
    NoticePayload,
    PendingPayload,
    ResumedPayload,
)
from bot.watch.plan_types import Channel, Context, Inputs
from bot.watch.timing import jittered
from bot.watch.waits import waiting_since


def wants_looks(sub: SubscriptionRow) -> bool:
    """Say whether a subscription shows or tells anything a look finds."""
    return sub.notify_progress or sub.notify_hang or sub.notify_idle


def health_after(inputs: Inputs, seen: Observation, ctx: Context) -> Health:
    """Return what is kept of the job after this poll: its looks, its wait told, its restarts."""
    health = seen.looked.health if seen.looked is not None else inputs.health
    if seen.waiting is not None:
        health = health.model_copy(update={"waiting_told": seen.waiting_since})
    if seen.job is not None and seen.restart_total != health.restart_total:
        health = health.restarted(seen.restart_total, seen.restarted, ctx.now)
    return health


def card_of(job: Job, health: Health, sub: SubscriptionRow, seen: Observation) -> CardPayload:
    """Return a channel's card: the health and the wait its subscription wants shown.

    Restarts are always counted; what looks find only where the subscription wants it.
    """
    waiting = seen.waiting if sub.notify_pending else None
    if not wants_looks(sub) or health.looked_at is None:
        counted = Health(restarts=health.restarts) if health.restarts else None
        return CardPayload.of(job, counted, waiting)
    shown = health if sub.notify_progress else health.model_copy(update={"progress": None})
    return CardPayload.of(job, shown, waiting)


def look_at(inputs: Inputs, job: Job, ctx: Context) -> datetime | None:
    """Return when a running job followed for what looks find is looked at next, or None."""
    if ctx.looks is None or job.status is not JobStatus.RUNNING:
        return None
    if not any(wants_looks(c.sub) for c in inputs.channels):
        return None
    # Spread over 0–10 % after the interval, never before it: at most one look per interval.
    return jittered(ctx.now, ctx.looks.every.total_seconds() * 1.05, spread=0.05 / 1.05)


def wait_at(inputs: Inputs, job: Job, seen: Observation, ctx: Context) -> datetime | None:
    """Return when a queued job followed for why it waits is to be explained, or None."""
    if ctx.looks is None or seen.waiting is not None or not is_waiting(job):
        return None
    if not any(c.sub.notify_pending for c in inputs.channels):
        return None
    changed = job.status.value != inputs.last_status
    since = waiting_since(job, ctx.now if changed else inputs.status_changed_at)
    if since is None or inputs.health.waiting_told == since:
        return None
    return max(since + ctx.looks.pending, ctx.now)


def card_changed(inputs: Inputs, seen: Observation, health: Health, sub: SubscriptionRow) -> bool:
    """Say whether a channel's card shows something new besides its status: what a look found
    (when the subscription shows it), the reasons of a wait, or a restart."""
    looked = seen.looked is not None and health.face() != inputs.health.face()
    explained = seen.waiting is not None and sub.notify_pending
    return (looked and wants_looks(sub)) or explained or seen.restarted > 0


def health_notices(
    inputs: Inputs,
    channel: Channel,
    job: Job,
    seen: Observation,
    ctx: Context,
    health: Health,
) -> list[n.Notice]:
    """Return the hang, resumed, idle and pending replies this poll owes one channel (`health`:
    what is kept of the job after this poll, `health_after`)."""
    sub, card = channel.sub, channel.card_id
    changes = seen.looked.changes if seen.looked is not None else []
    ref, at = JobRef.of(job), ctx.now
    out: list[n.Notice] = []

    def note(key: str, kind: NoticeKind, payload: NoticePayload) -> None:
        out.append(n.Notice(key, sub.workspace_id, sub.channel_id, kind, payload, card))

    for change in changes:
        if change is Change.HUNG and sub.notify_hang and health.hung_since is not None:
            since = health.hung_since
            payload: NoticePayload = HangPayload(
                job=ref,
                since=since,
                at=at,
                last_line=health.last_line,
                gpu_percent=health.gpu_percent,
                mentions=mentions_of(inputs, sub, job),
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
                mentions=mentions_of(inputs, sub, job),
            )
            note(f"idle:{card}:{_micros(since)}", NoticeKind.IDLE, payload)
    if seen.waiting is not None and seen.waiting_since is not None and sub.notify_pending:
        since = seen.waiting_since
        payload = PendingPayload(job=ref, since=since, at=at, report=seen.waiting)
        note(f"pending:{card}:{_micros(since)}", NoticeKind.PENDING, payload)
    return out


def _micros(when: datetime) -> int:
    return int(when.timestamp() * 1_000_000)


def mentions_of(inputs: Inputs, sub: SubscriptionRow, job: Job) -> list[str]:
    """Return who a failure pings: the user the subscription names, else the job's owner."""
    if sub.mention and sub.mention != "owner":
        return [sub.mention]
    users: list[str] = []
    creator = job.labels.get(SLACK_USER_LABEL)
    if creator and job.labels.get(SLACK_TEAM_LABEL, sub.workspace_id) == sub.workspace_id:
        users.append(creator)
    users += [u for u in inputs.linked.get(sub.workspace_id, ()) if u not in users]
    return users[:5]
