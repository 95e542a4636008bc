"""The poll tick: lease due watched jobs, observe them, and commit diffs with their notices."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.store import LeaseLostError, Store, UnitOfWork, lease_of
from bot.store.tables import WatchedJobRow
from bot.watch import notices as n
from bot.watch.config import WatchConfig
from bot.watch.observe import Observation, observe
from bot.watch.plan import Context, Plan, plan_job
from bot.watch.timing import backoff, jittered

logger = logging.getLogger(__name__)
CONCURRENCY = 16


@dataclass
class Poller:
    """Poll the jobs the sweep marked due (and log followers), one batch per tick."""

    store: Store
    aihc: AihcClient
    config: WatchConfig
    context: Context

    async def tick(self, now: datetime) -> int:
        """Poll one batch of due jobs; return how many were polled."""
        ttl = timedelta(seconds=self.config.settings.lease_seconds)
        async with self.store.transaction() as uow:
            rows = await uow.watched_jobs.claim_due(
                owner=self.config.replica_id, now=now, ttl=ttl, limit=self.config.settings.batch
            )
        if not rows:
            return 0
        gate = asyncio.Semaphore(CONCURRENCY)
        seen = await asyncio.gather(*(self._observe(gate, row) for row in rows))
        async with self.store.transaction() as uow:
            notices: list[n.Notice] = []
            for row, found in zip(rows, seen, strict=True):
                notices += await self._commit(uow, row, found, now)
            for notice in fold_bursts(notices, self.config.settings.burst_threshold):
                await uow.outbox.enqueue(
                    dedup_key=notice.dedup_key,
                    workspace_id=notice.workspace_id,
                    channel_id=notice.channel_id,
                    kind=notice.kind,
                    payload=notice.payload,
                    now=now,
                    status_card_id=notice.card_id,
                    card_version=notice.card_version,
                )
        return len(rows)

    async def _observe(
        self, gate: asyncio.Semaphore, row: WatchedJobRow
    ) -> Observation | AihcError:
        async with gate:
            try:
                return await observe(
                    self.aihc,
                    row,
                    follow_logs=row.follow_logs,
                    tail_lines=self.config.settings.log_lines,
                )
            except AihcError as error:
                return error

    async def _commit(
        self, uow: UnitOfWork, row: WatchedJobRow, found: Observation | AihcError, now: datetime
    ) -> list[n.Notice]:
        """Write the row under its lease and return its notices; nothing if the lease was lost."""
        lease = lease_of(row)
        try:
            if isinstance(found, AihcError):
                errors = row.error_count + 1
                values = {
                    "error_count": errors,
                    "last_error": type(found).__name__,
                    "next_poll_at": jittered(now, backoff(self.config.poll_interval / 3, errors)),
                }
                await uow.watched_jobs.finish(row.id, lease, values)
                return []
            ctx = Context(now, self.context.interval, self.context.rules, self.context.tail_lines)
            async with uow.session.begin_nested():
                plan: Plan = await plan_job(uow, row, found, ctx)
                await uow.watched_jobs.finish(row.id, lease, plan.values)
            return plan.notices
        except LeaseLostError:
            logger.info("lease lost", extra={"job": row.job_id})
            return []


def fold_bursts(notices: list[n.Notice], threshold: int) -> list[n.Notice]:
    """Fold a channel's transitions from one batch into one summary when there are too many.

    Existing cards are still edited; new cards, replies and broadcasts of the folded jobs go.
    """
    by_channel: dict[tuple[str, str], list[n.Notice]] = defaultdict(list)
    for notice in notices:
        if notice.transition:
            by_channel[(notice.workspace_id, notice.channel_id)].append(notice)
    folded: set[int] = set()
    summaries: list[n.Notice] = []
    for (workspace, channel), items in by_channel.items():
        if len(items) <= threshold:
            continue
        folded |= {item.card_id for item in items if item.card_id is not None}
        entries = [
            {**item.payload["job"], "old": item.payload["old"], "new": item.payload["new"]}
            for item in items
        ]
        key = f"burst:{channel}:" + n.digest(*sorted(item.dedup_key for item in items))
        summaries.append(n.Notice(key, workspace, channel, "summary", {"jobs": entries}))
    kept = [
        notice for notice in notices if notice.card_id not in folded or notice.kind == "card_update"
    ]
    return kept + summaries
