"""The drain tick: deliver due outbox rows exactly once, in order, paced per channel.

Each claimed row takes one turn (`bot/watch/turn.py`) whose outcome moves it through the state
machine of `bot/watch/outcomes.py`. Rows of one channel go in the order they were queued; channels
go in parallel. The claim's leases are renewed while the tick works (`LeaseKeeper`), and a turn
declines to start a Slack call when too little lease is left for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.clock import Clock
from bot.store import LeaseLostError, OutboxState, Store, UnitOfWork, lease_of
from bot.store.keeper import LeaseKeeper
from bot.store.tables import OutboxRow
from bot.watch.config import WatchConfig
from bot.watch.outcomes import STEPS, Outcome, next_state
from bot.watch.ports import ChatSender
from bot.watch.turn import Result, Turn

logger = logging.getLogger(__name__)
PER_CHANNEL = 8
# A turn must not start a Slack call with less lease left than this many Slack timeouts.
LEASE_MARGIN = 1.5
STOPS_CHANNEL = frozenset(
    {Outcome.THROTTLED, Outcome.CHANNEL_GONE, Outcome.LEASE_SHORT, Outcome.PACED}
)


@dataclass
class Deliverer:
    """Drain the outbox through a chat sender."""

    store: Store
    sender: ChatSender
    config: WatchConfig
    clock: Clock
    _last_post: dict[str, float] = field(default_factory=dict)

    async def tick(self, now: datetime) -> int:
        """Claim due rows and deliver them, channels in parallel, each channel in order."""
        settings = self.config.settings
        ttl = timedelta(seconds=settings.lease_seconds)
        async with self.store.transaction() as uow:
            rows = await uow.outbox.claim_due(
                owner=self.config.replica_id, now=now, ttl=ttl, limit=settings.batch
            )
        if not rows:
            return 0
        by_channel: dict[tuple[str, str], list[OutboxRow]] = defaultdict(list)
        for row in rows:
            by_channel[(row.workspace_id, row.channel_id)].append(row)
        keeper = LeaseKeeper(self.store, OutboxRow, rows, ttl=ttl, clock=self.clock)
        async with keeper:
            await asyncio.gather(*(self._channel(items, keeper) for items in by_channel.values()))
        return len(rows)

    async def _channel(self, rows: list[OutboxRow], keeper: LeaseKeeper) -> None:
        """Give each row of one channel its turn, oldest first; stop the channel when told to."""
        hold: float | None = None
        rest: list[OutboxRow] = []
        for index, row in enumerate(rows):
            if hold is not None or index >= PER_CHANNEL:
                rest.append(row)
                continue
            try:
                result = await self._turn(row, keeper).take()
                await self._apply(row, result)
                if result.outcome in STOPS_CHANNEL:
                    hold = result.wait
            except LeaseLostError:
                # Another replica took the row over after our lease ran out; it carries on.
                logger.info("outbox lease lost", extra={"dedup_key": row.dedup_key})
            except Exception:  # a bug must not stall the other rows; the lease hands it on
                logger.exception("delivery failed", extra={"dedup_key": row.dedup_key})
            finally:
                keeper.done(row.id)
        if rest:
            due = self.clock() + timedelta(seconds=hold or 0.0)
            async with self.store.transaction() as uow:
                await uow.outbox.hand_back_untouched(rest, next_attempt_at=due)
            for row in rest:
                keeper.done(row.id)

    def _turn(self, row: OutboxRow, keeper: LeaseKeeper) -> Turn:
        settings = self.config.settings
        return Turn(
            row=row,
            store=self.store,
            sender=self.sender,
            clock=self.clock,
            max_attempts=settings.max_attempts,
            lease_left=lambda: keeper.remaining(row.id),
            margin=LEASE_MARGIN * settings.slack_timeout,
            pace=self._pace,
            posted=self._posted,
        )

    def _pace(self, channel: str) -> float:
        """Return how long until the channel may post again (0: now)."""
        gap = self.config.settings.pace_seconds
        now = self.clock.monotonic()
        last = self._last_post.get(channel)
        if last is not None and gap > 0 and now < last + gap:
            return last + gap - now
        return 0.0

    def _posted(self, channel: str) -> None:
        """Start the channel's pace: a post to it just ended."""
        self._last_post[channel] = self.clock.monotonic()

    async def _apply(self, row: OutboxRow, result: Result) -> None:
        """Write where the outcome takes the row, fenced by its lease, in one transaction."""
        outcome, lease, now = result.outcome, lease_of(row), self.clock()
        state = next_state(row.state, outcome)
        if outcome is not Outcome.DELIVERED:
            level = logging.WARNING if state is OutboxState.DEAD else logging.INFO
            extra = {"dedup_key": row.dedup_key, "outcome": outcome.value}
            if result.detail:
                extra["slack_error"] = result.detail
            logger.log(level, "message %s", outcome.value, extra=extra)
        async with self.store.transaction() as uow:
            if outcome is Outcome.DELIVERED:
                await uow.outbox.mark_sent(row.id, lease, slack_ts=result.ts, now=now)
                await self._shown(uow, row, result.ts, now)
            elif state is OutboxState.DROPPED:
                await uow.outbox.mark_dropped(row.id, lease, why=result.reason)
            elif state is OutboxState.DEAD:
                if outcome is Outcome.CHANNEL_GONE:
                    await uow.subscriptions.pause_channel(
                        workspace_id=row.workspace_id,
                        channel_id=row.channel_id,
                        reason=result.detail,
                    )
                await uow.outbox.mark_dead(row.id, lease, error=result.reason)
            else:
                # Slack did not act on a throttled call: the try is given back.
                given_back = not STEPS[outcome].counts and result.counted
                await uow.outbox.hand_back(
                    row.id,
                    lease,
                    next_attempt_at=now + timedelta(seconds=result.wait),
                    state=state,
                    attempts=row.attempts if given_back else None,
                    error=result.reason or None,
                )

    @staticmethod
    async def _shown(uow: UnitOfWork, row: OutboxRow, ts: str | None, now: datetime) -> None:
        """Remember the card's `ts` after its first post, and which version Slack now shows."""
        if row.status_card_id is None:
            return
        if row.kind == "card":
            await uow.status_cards.mark_posted(
                card_id=row.status_card_id, slack_ts=ts, content_hash=None, now=now
            )
        if row.kind in ("card", "card_update") and row.card_version is not None:
            await uow.status_cards.mark_shown(
                card_id=row.status_card_id, version=row.card_version, now=now
            )
