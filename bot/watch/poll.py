"""The poll tick: lease due watched jobs, observe them, and commit diffs with their notices.

Per job: observe (AIHC calls, outside any transaction), then in one transaction gather what the
planner needs, plan (pure), and write the plan: event series, card versions, the row's new values
under its lease, and the outbox rows. A lease lost meanwhile undoes that job's part.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError
from bot.domain.clock import Clock
from bot.store import LeaseLostError, Store, UnitOfWork, lease_of
from bot.store.keeper import LeaseKeeper
from bot.store.tables import WatchedJobRow
from bot.watch import notices as n
from bot.watch.config import WatchConfig
from bot.watch.inputs import gather
from bot.watch.kinds import NoticeKind
from bot.watch.observe import Observation, observe
from bot.watch.plan import plan_job
from bot.watch.plan_types import Context, Plan
from bot.watch.timing import backoff, jittered
from bot.watch.waits import WaitReads

logger = logging.getLogger(__name__)
CONCURRENCY = 16


@dataclass
class Poller:
    """Poll the jobs the sweep marked due (and log followers), one batch per tick."""

    store: Store
    aihc: AihcClient
    config: WatchConfig
    context: Context
    clock: Clock

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
        # AIHC may be slow: the leases are kept while the jobs are observed.
        async with LeaseKeeper(self.store, WatchedJobRow, rows, ttl=ttl, clock=self.clock):
            # One tick's waiting jobs share their pools' queue and node reads.
            waits = WaitReads(self.aihc)
            seen = await asyncio.gather(*(self._observe(gate, row, now, waits) for row in rows))
        async with self.store.transaction() as uow:
            notices: list[n.Notice] = []
            for row, found in zip(rows, seen, strict=True):
                notices += await self._commit(uow, row, found, now)
            for notice in n.fold_bursts(notices, self.config.settings.burst_threshold):
                await uow.outbox.enqueue(
                    dedup_key=notice.dedup_key,
                    workspace_id=notice.workspace_id,
                    channel_id=notice.channel_id,
                    kind=notice.kind.value,
                    payload=notice.payload.model_dump(mode="json"),
                    now=now,
                    status_card_id=notice.card_id,
                    card_version=notice.card_version,
                )
        return len(rows)

    async def _observe(
        self, gate: asyncio.Semaphore, row: WatchedJobRow, now: datetime, waits: WaitReads
    ) -> Observation | AihcError:
        async with gate:
            try:
                return await observe(
                    self.aihc,
                    row,
                    follow_logs=row.follow_logs,
                    tail_lines=self.config.settings.log_lines,
                    rules=self.context.rules,
                    looks=self.context.looks,
                    now=now,
                    waits=waits,
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
            ctx = replace(self.context, now=now)
            async with uow.session.begin_nested():
                inputs = await gather(uow, row, found, now=now)
                plan = plan_job(inputs, found, ctx)
                await self._write(uow, row, plan, now)
                await uow.watched_jobs.finish(row.id, lease, plan.values)
            return plan.notices
        except LeaseLostError:
            logger.info("lease lost", extra={"job": row.job_id})
            return []

    @staticmethod
    async def _write(uow: UnitOfWork, row: WatchedJobRow, plan: Plan, now: datetime) -> None:
        """Store the plan's event series and give each card edit the card's next version."""
        for write in plan.series:
            await uow.event_series.record(
                pool_id=row.pool_id,
                job_id=row.job_id,
                series_key=write.key,
                values=write.values,
                told=write.told,
                now=now,
            )
        for notice in plan.notices:
            if notice.kind is NoticeKind.CARD_UPDATE and notice.card_id is not None:
                notice.card_version = await uow.status_cards.next_version(notice.card_id)
