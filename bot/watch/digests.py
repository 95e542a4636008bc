"""The digest tick: claim the due digest schedules under leases, queue each digest once.

A claimed schedule's digest is computed outside any transaction (it reads AIHC), then queued in
the outbox and the schedule advanced in one transaction, written back only while the lease
holds; the outbox's dedup key (`digest:<channel>:<period end>`) makes a second try a no-op. So
with several replicas each digest is queued exactly once, and the drain tick delivers it.

A digest missed while no replica ran is sent when one comes back on the same local day as its
due time; on a later day it is skipped, and the schedule moves on to its next due time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.services.digest_schedules import queue_digest, schedule_of
from bot.services.digest_times import decide
from bot.services.digests import DigestService
from bot.store import LeaseLostError, Store, lease_of
from bot.store.keeper import LeaseKeeper
from bot.store.tables import DigestScheduleRow
from bot.watch.config import WatchConfig

logger = logging.getLogger(__name__)
DIGEST_SECONDS = 30.0
"""How often the tick looks for due digests: a digest goes out within this of its time."""
PER_TICK = 20


@dataclass
class DigestTicker:
    """Queue the digests that are due, each under its schedule's lease."""

    store: Store
    digests: DigestService
    config: WatchConfig
    clock: Clock

    async def tick(self, now: datetime) -> int:
        """Claim due schedules and queue their digests (or skip stale ones); count the queued."""
        ttl = timedelta(seconds=self.config.settings.lease_seconds)
        limit = min(PER_TICK, self.config.settings.batch)
        async with self.store.transaction() as uow:
            rows = await uow.digest_schedules.claim_due(
                owner=self.config.replica_id, now=now, ttl=ttl, limit=limit
            )
        queued = 0
        # Digests read AIHC one after another: the later rows' leases must outlast the earlier.
        keeper = LeaseKeeper(self.store, DigestScheduleRow, rows, ttl=ttl, clock=self.clock)
        async with keeper:
            for row in rows:
                try:
                    queued += await self._one(row, now)
                except LeaseLostError:
                    pass  # another replica took the schedule over: its digest is theirs
                except Exception:  # one channel's failing digest must not hold the others back
                    # Due again next tick, while its day lasts.
                    logger.exception("digest not queued", extra={"channel": row.channel_id})
                    await self._hand_back(row)
                keeper.done(row.id)
        return queued

    async def _one(self, row: DigestScheduleRow, now: datetime) -> int:
        """Queue one schedule's due digest if its day has not passed; advance it either way."""
        schedule = schedule_of(row)
        decision = decide(schedule, row.next_due_at, now)
        digest = None
        # The outbox's dedup key already refuses a period queued before; this spares its work.
        fresh = row.last_end_at is None or decision.end > row.last_end_at
        if decision.send and fresh:
            digest = await self.digests.digest(
                workspace_id=row.workspace_id,
                channel_id=row.channel_id,
                period=schedule.period,
                end=decision.end,
            )
        queued = False
        async with self.store.transaction() as uow:
            if digest is not None:
                queued = await queue_digest(
                    uow,
                    workspace_id=row.workspace_id,
                    channel_id=row.channel_id,
                    digest=digest,
                    zone=schedule.zone,
                    now=self.clock(),
                )
            await uow.digest_schedules.advance(
                row.id,
                lease_of(row),
                next_due_at=decision.next_due,
                last_end_at=decision.end if digest is not None else None,
            )
        if digest is None:
            logger.info(
                "digest skipped: its day had passed",
                extra={"channel": row.channel_id, "due": row.next_due_at.isoformat()},
            )
        return int(queued)

    async def _hand_back(self, row: DigestScheduleRow) -> None:
        try:
            async with self.store.transaction() as uow:
                await uow.digest_schedules.hand_back(row.id, lease_of(row))
        except LeaseLostError:
            pass  # someone else holds it now: theirs to finish
