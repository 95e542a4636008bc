"""Turn one poll's observation into the watched row's new values and the notices it owes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain import Event, Job
from bot.services.context import SLACK_TEAM_LABEL, SLACK_USER_LABEL
from bot.store import UnitOfWork
from bot.store.enums import TargetKind
from bot.store.tables import StatusCardRow, SubscriptionRow, WatchedJobRow
from bot.watch import notices as n
from bot.watch import queries
from bot.watch.causes import Rule, likely_cause
from bot.watch.observe import Observation, series_key
from bot.watch.timing import jittered

DELETED = "Deleted"
NoteMaker = Callable[[str, str, dict[str, Any]], n.Notice]


@dataclass
class Context:
    """What planning needs besides the row: the time, the interval and the cause rules."""

    now: datetime
    interval: float
    rules: tuple[Rule, ...] = ()
    tail_lines: int = 20


@dataclass
class Plan:
    """The row's new values and the notices, to commit together."""

    values: dict[str, Any]
    notices: list[n.Notice] = field(default_factory=list)


async def plan_job(uow: UnitOfWork, row: WatchedJobRow, seen: Observation, ctx: Context) -> Plan:
    """Diff the observation against the row and decide every notice of every channel."""
    if seen.job is None:
        return await _plan_deleted(uow, row, ctx)
    job = seen.job
    if seen.tentative:
        again = jittered(ctx.now, max(ctx.interval / 3, 1.0))
        return Plan({"log_cursors": seen.cursors, "next_poll_at": again, "error_count": 0})
    subs = await _subscriptions(uow, row, job.queue)
    warnings = await _new_warnings(uow, job, seen, baseline=row.last_status is None, ctx=ctx)
    plan = Plan(_values(row, job, seen, subs, ctx))
    for sub in subs:
        plan.notices += await _for_channel(uow, sub, row, job, seen, warnings, ctx)
    return plan


async def _subscriptions(uow: UnitOfWork, row: WatchedJobRow, queue: str) -> list[SubscriptionRow]:
    subs = await uow.subscriptions.covering_job(
        pool_id=row.pool_id, job_id=row.job_id, queue_name=queue or row.queue_name
    )
    return n.per_channel([s for s in subs if s.paused_reason is None])


def _values(
    row: WatchedJobRow, job: Job, seen: Observation, subs: list[SubscriptionRow], ctx: Context
) -> dict[str, Any]:
    status = job.status.value
    follow = any(s.notify_logs for s in subs)
    final = job.status.is_terminal
    values: dict[str, Any] = {
        "last_status": status,
        "job_name": job.name[:255],
        "queue_name": job.queue[:128],
        "events_cursor": seen.events_cursor,
        "log_cursors": seen.cursors,
        "follow_logs": follow,
        "active": not final and bool(subs),
        "last_polled_at": ctx.now,
        "error_count": 0,
        "last_error": None,
        "next_poll_at": jittered(ctx.now, ctx.interval) if follow and not final else None,
    }
    if status != row.last_status:
        values["status_changed_at"] = ctx.now
    return values


async def _new_warnings(
    uow: UnitOfWork, job: Job, seen: Observation, *, baseline: bool, ctx: Context
) -> list[tuple[Event, int, str]]:
    """Fold warnings into series; return those worth a notice (new, or doubled since told)."""
    fresh: list[tuple[Event, int, str]] = []
    for event in seen.warnings:
        key = series_key(event)
        stamp = event.last_timestamp or event.first_timestamp or ctx.now
        series = await queries.record_series(
            uow.session,
            pool_id=job.pool_id,
            job_id=job.id,
            key=key,
            values={
                "reason": event.reason[:128],
                "event_type": event.type[:32],
                "message": event.message[:2000],
                "first_seen_at": event.first_timestamp or stamp,
                "last_seen_at": stamp,
                "occurrences": max(event.count, 1),
            },
        )
        told = series.notified_occurrences
        if told and series.occurrences < 2 * told:
            continue
        await uow.event_series.mark_notified(
            series_id=series.id, occurrences=series.occurrences, now=ctx.now
        )
        if not baseline:
            fresh.append((event, series.occurrences, key))
    return fresh


async def _card(uow: UnitOfWork, sub: SubscriptionRow, job_id: str, ctx: Context) -> StatusCardRow:
    return await uow.status_cards.get_or_create(
        workspace_id=sub.workspace_id,
        channel_id=sub.channel_id,
        pool_id=sub.pool_id,
        job_id=job_id,
        now=ctx.now,
    )


async def _for_channel(
    uow: UnitOfWork,
    sub: SubscriptionRow,
    row: WatchedJobRow,
    job: Job,
    seen: Observation,
    warnings: list[tuple[Event, int, str]],
    ctx: Context,
) -> list[n.Notice]:
    status = job.status.value
    baseline = row.last_status is None
    changed = not baseline and row.last_status != status
    is_job_sub = sub.target_kind is TargetKind.JOB
    appeared = baseline and not is_job_sub and bool((row.log_cursors or {}).get(queries.NEWS))
    card = await _card(uow, sub, job.id, ctx)
    has_card = card.slack_ts is not None or await queries.card_queued(uow.session, card.id)
    out: list[n.Notice] = []
    note = _maker(sub, card, job)
    stamp = int(ctx.now.timestamp())
    if not has_card:
        if not (changed or is_job_sub or appeared):
            return []
        out.append(note(f"card:{card.id}", "card", {"job": n.job_payload(job)}))
    elif changed:
        key = f"cardv:{card.id}:{status}:{stamp}"
        out.append(note(key, "card_update", {"job": n.job_payload(job)}))
    if n.is_muted(sub, ctx.now):
        return out
    news = changed or (appeared and job.status.is_terminal)
    if news and sub.notify_status and n.passes_filter(sub, status):
        out.append(await _transition(uow, sub, note, card.id, row, job, seen, ctx))
    if not baseline:
        out += _detail_notices(sub, note, card.id, job, seen, warnings, ctx)
    return out


def _detail_notices(
    sub: SubscriptionRow,
    note: NoteMaker,
    card_id: int,
    job: Job,
    seen: Observation,
    warnings: list[tuple[Event, int, str]],
    ctx: Context,
) -> list[n.Notice]:
    """Return the thread replies for new warning events and new log lines."""
    out: list[n.Notice] = []
    if warnings and sub.notify_events and not n.failed(job.status.value):
        key = f"ev:{card_id}:" + n.digest(*[(k, c) for _, c, k in warnings])
        payload: dict[str, Any] = {
            "job": n.job_ref(job),
            "events": n.event_payload([(e, c) for e, c, _ in warnings]),
        }
        out.append(note(key, "events", payload))
    if seen.new_lines and sub.notify_logs:
        lines = seen.new_lines[-ctx.tail_lines :]
        stamp = int(ctx.now.timestamp())
        key = f"log:{card_id}:" + n.digest(seen.log_pod, len(seen.new_lines), *lines[-3:], stamp)
        payload = {
            "job": n.job_ref(job),
            "pod": seen.log_pod,
            "lines": lines,
            "skipped": len(seen.new_lines) - len(lines),
        }
        out.append(note(key, "logs", payload))
    return out


def _maker(sub: SubscriptionRow, card: StatusCardRow, job: Job) -> NoteMaker:
    def note(key: str, kind: str, payload: dict[str, Any]) -> n.Notice:
        return n.Notice(key, sub.workspace_id, sub.channel_id, kind, payload, card.id)

    return note


async def _transition(
    uow: UnitOfWork,
    sub: SubscriptionRow,
    note: NoteMaker,
    card_id: int,
    row: WatchedJobRow,
    job: Job,
    seen: Observation,
    ctx: Context,
) -> n.Notice:
    status = job.status.value
    stamp = int(ctx.now.timestamp())
    payload: dict[str, Any] = {"job": n.job_ref(job), "old": row.last_status, "new": status}
    if not n.failed(status):
        notice: n.Notice = note(f"st:{card_id}:{status}:{stamp}", "transition", payload)
        notice.transition = True
        return notice
    texts = [*seen.failure_tail, *(f"{e.reason}: {e.message}" for e in seen.warnings)]
    cause = seen.cause if seen.cause is not None else likely_cause(texts, extra=ctx.rules)
    payload.update(
        cause={"key": cause.key, "text": cause.text},
        pod=seen.log_pod,
        lines=seen.failure_tail,
        events=n.event_payload([(e, max(e.count, 1)) for e in seen.warnings][-10:]),
        mentions=await _mentions(uow, sub, job),
    )
    notice = note(f"st:{card_id}:{status}:{stamp}", "failure", payload)
    notice.transition = True
    return notice


async def _mentions(uow: UnitOfWork, sub: SubscriptionRow, job: Job) -> list[str]:
    """Return who a failure pings: the user the subscription names, else the job's owner."""
    if sub.mention and sub.mention != "owner":
        return [sub.mention]
    users: list[str] = []
    creator = job.labels.get(SLACK_USER_LABEL)
    if creator and job.labels.get(SLACK_TEAM_LABEL, sub.workspace_id) == sub.workspace_id:
        users.append(creator)
    if job.creator:
        linked = await uow.user_links.slack_users_of(
            workspace_id=sub.workspace_id, aihc_user_name=job.creator
        )
        users += [u for u in linked if u not in users]
    return users[:5]


async def _plan_deleted(uow: UnitOfWork, row: WatchedJobRow, ctx: Context) -> Plan:
    values = {
        "last_status": DELETED,
        "active": False,
        "next_poll_at": None,
        "last_polled_at": ctx.now,
        "status_changed_at": ctx.now,
    }
    plan = Plan(values)
    if row.last_status in (None, DELETED):
        return plan
    ref = {"id": row.job_id, "name": row.job_name, "pool": row.pool_id, "queue": row.queue_name}
    for sub in await _subscriptions(uow, row, row.queue_name):
        card = await _card(uow, sub, row.job_id, ctx)
        if card.slack_ts is None and not await queries.card_queued(uow.session, card.id):
            continue
        if not n.is_muted(sub, ctx.now):
            plan.notices.append(
                n.Notice(
                    f"gone:{card.id}",
                    sub.workspace_id,
                    sub.channel_id,
                    "gone",
                    {"job": ref, "old": row.last_status},
                    card.id,
                )
            )
    return plan
