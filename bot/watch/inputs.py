"""Gather from the store what planning one watched job needs, before the pure planner runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.insight.health import Health
from bot.store import UnitOfWork
from bot.store.tables import WatchedJobRow
from bot.watch import notices as n
from bot.watch.observe import NEWS, Observation, series_key
from bot.watch.plan_types import Channel, Inputs, Series


async def gather(
    uow: UnitOfWork, row: WatchedJobRow, seen: Observation, *, now: datetime
) -> Inputs:
    """Read the channels following the job (with their cards), its event series and its owner."""
    job = seen.job
    inputs = Inputs(
        job_id=row.job_id,
        pool_id=row.pool_id,
        job_name=row.job_name,
        queue_name=row.queue_name,
        last_status=row.last_status,
        news=bool((row.log_cursors or {}).get(NEWS)),
        health=Health.from_dict(row.insight),
        status_changed_at=row.status_changed_at,
    )
    if seen.tentative:
        return inputs
    subs = await uow.subscriptions.covering_job(
        pool_id=row.pool_id,
        job_id=row.job_id,
        queue_name=(job.queue if job is not None else "") or row.queue_name,
    )
    channels = []
    for sub in n.per_channel([s for s in subs if s.paused_reason is None]):
        card = await uow.status_cards.get_or_create(
            workspace_id=sub.workspace_id,
            channel_id=sub.channel_id,
            pool_id=sub.pool_id,
            job_id=row.job_id,
            now=now,
        )
        out = card.slack_ts is not None or (
            await uow.outbox.state_of(dedup_key=f"card:{card.id}") is not None
        )
        channels.append(Channel(sub, card.id, out))
    series: dict[str, Series] = {}
    linked: dict[str, tuple[str, ...]] = {}
    if job is not None:
        keys = sorted({series_key(event) for event in seen.warnings})
        stored = await uow.event_series.of_job(pool_id=row.pool_id, job_id=row.job_id, keys=keys)
        series = {s.series_key: Series(s.occurrences, s.notified_occurrences) for s in stored}
        if job.creator:
            for workspace in sorted({c.sub.workspace_id for c in channels}):
                users = await uow.user_links.slack_users_of(
                    workspace_id=workspace, aihc_user_name=job.creator
                )
                linked[workspace] = tuple(users)
    return replace(inputs, channels=tuple(channels), series=series, linked=linked)
