"""The drain tick: deliver due outbox rows exactly once, paced per channel.

A row is marked `sending` (committed) before the chat call. A row found in `sending` later has an
unknown outcome: its dedup key is looked up in the channel (or the card's thread) first, and only
posted when it is not there. Card edits are idempotent and simply redone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.store import LeaseLostError, OutboxState, Store, lease_of
from bot.store import leases as lease_ops
from bot.store.tables import OutboxRow
from bot.watch import queries
from bot.watch.config import WatchConfig
from bot.watch.notices import REPLY_KINDS
from bot.watch.ports import (
    ChatChannelGone,
    ChatError,
    ChatRateLimited,
    ChatRejected,
    ChatSender,
    Outgoing,
)
from bot.watch.timing import backoff

logger = logging.getLogger(__name__)
PER_CHANNEL = 8
WAIT_FOR_CARD = 2.0
CARD_PATIENCE = timedelta(hours=1)


class _Stop(Exception):
    """This channel is done for this tick (rate limited or gone)."""


@dataclass
class Deliverer:
    """Drain the outbox through a chat sender."""

    store: Store
    sender: ChatSender
    config: WatchConfig
    _last_post: dict[str, float] = field(default_factory=dict)

    async def tick(self, now: datetime) -> int:
        """Claim due rows and deliver them, channels in parallel, each channel in order."""
        ttl = timedelta(seconds=self.config.settings.lease_seconds)
        async with self.store.transaction() as uow:
            rows = await uow.outbox.claim_due(
                owner=self.config.replica_id, now=now, ttl=ttl, limit=self.config.settings.batch
            )
        by_channel: dict[str, list[OutboxRow]] = defaultdict(list)
        for row in rows:
            by_channel[row.channel_id].append(row)
        await asyncio.gather(*(self._channel(items, now) for items in by_channel.values()))
        return len(rows)

    async def _channel(self, rows: list[OutboxRow], now: datetime) -> None:
        for index, row in enumerate(rows):
            if index >= PER_CHANNEL:
                await self._release(row, now, 0.0)
                continue
            try:
                await self._one(row, now)
            except _Stop:
                for rest in rows[index + 1 :]:
                    await self._release(rest, now, 1.0)
                return
            except LeaseLostError:
                # Another replica took the row over after our lease ran out; it carries on.
                logger.info("outbox lease lost", extra={"dedup_key": row.dedup_key})
            except Exception:  # a bug must not stall the other rows; the lease hands it on
                logger.exception("delivery failed", extra={"dedup_key": row.dedup_key})

    async def _one(self, row: OutboxRow, now: datetime) -> None:
        verdict, target = await self._check(row, now)
        if verdict == "done":
            return
        if verdict == "block":
            # A thread reads in order: wait until the older message is delivered or dead.
            await self._release(row, now, WAIT_FOR_CARD / 4)
            raise _Stop
        if verdict == "no card":
            # The card's first post must land before its edits and thread replies.
            if now - row.created_at > CARD_PATIENCE:
                await self._dead(row, "the card was never posted")
            else:
                await self._release(row, now, WAIT_FOR_CARD)
            return
        if verdict != "send":
            await self._dead(row, verdict)
            return
        message = Outgoing(
            dedup_key=row.dedup_key,
            channel_id=row.channel_id,
            kind=row.kind,
            payload=row.payload,
            thread_ts=target if row.kind in REPLY_KINDS else None,
            broadcast=row.kind == "failure",
        )
        await self._send(row, message, target, now)

    async def _check(self, row: OutboxRow, now: datetime) -> tuple[str, str | None]:
        """Decide what to do with a claimed row; return the verdict and the card's `ts`."""
        async with self.store.transaction() as uow:
            session = uow.session
            if await queries.paused_channel(
                session, workspace_id=row.workspace_id, channel_id=row.channel_id
            ):
                await uow.outbox.mark_dead(row.id, lease_of(row), error="channel paused")
                return "done", None
            if row.kind == "card_update" and await queries.newer_update_waits(session, row):
                await uow.outbox.mark_sent(row.id, lease_of(row), slack_ts=None, now=now)
                return "done", None
            card = await queries.card(session, row.status_card_id) if row.status_card_id else None
            if row.kind != "card_update" and await queries.earlier_waits(session, row):
                return "block", None
            target = card.slack_ts if card is not None else None
            if row.kind == "card" or card is None or target is not None:
                pass
            elif await queries.card_given_up(session, card.id):
                return "the card was given up", None
            else:
                return "no card", None
        if row.attempts >= self.config.settings.max_attempts:
            return "too many attempts", target
        return "send", target

    async def _send(
        self, row: OutboxRow, message: Outgoing, target: str | None, now: datetime
    ) -> None:
        try:
            if row.state is OutboxState.SENDING and row.kind != "card_update":
                found = await self.sender.find(
                    row.channel_id, message.thread_ts, row.dedup_key, since=row.sending_since
                )
                if found is not None:
                    await self._sent(row, found, now)
                    return
            if row.kind != "card_update":
                # Wait before the fenced `sending` mark, so the post follows it at once.
                await self._pace(row.channel_id)
            async with self.store.transaction() as uow:
                await uow.outbox.mark_sending(row.id, lease_of(row), now=now)
            if row.kind == "card_update" and target is not None:
                await self.sender.update(message, target)
                await self._sent(row, target, now)
                return
            ts = await self.sender.post(message)
            self._last_post[row.channel_id] = time.monotonic()
            await self._sent(row, ts, now)
        except ChatRateLimited as error:
            # Refused, so surely not delivered: back to pending, and the attempt does not count.
            values = {"state": OutboxState.PENDING, "attempts": row.attempts}
            await self._release(row, now, error.retry_after, **values)
            raise _Stop from None
        except ChatChannelGone as error:
            await self._gone(row, error.reason)
            raise _Stop from None
        except ChatRejected as error:
            await self._dead(row, str(error)[:200])
        except ChatError as error:
            # The outcome is unknown: the row stays `sending`, so the next attempt looks first.
            wait = backoff(1.0, row.attempts + 1, cap=60.0)
            await self._release(row, now, wait, last_error=type(error).__name__)

    async def _pace(self, channel: str) -> None:
        gap = self.config.settings.pace_seconds
        last = self._last_post.get(channel)
        if last is not None and gap > 0:
            wait = last + gap - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)

    async def _sent(self, row: OutboxRow, ts: str, now: datetime) -> None:
        async with self.store.transaction() as uow:
            await uow.outbox.mark_sent(row.id, lease_of(row), slack_ts=ts, now=now)
            if row.kind == "card" and row.status_card_id is not None:
                await uow.status_cards.mark_posted(
                    card_id=row.status_card_id, slack_ts=ts, content_hash=None, now=now
                )

    async def _release(self, row: OutboxRow, now: datetime, wait: float, **values: object) -> None:
        """Hand the row back to the queue, due after `wait` seconds, with some columns changed."""
        values["next_attempt_at"] = now + timedelta(seconds=wait)
        async with self.store.transaction() as uow:
            await lease_ops.release(uow.session, OutboxRow, row.id, lease_of(row), values)

    async def _dead(self, row: OutboxRow, error: str) -> None:
        logger.warning("message given up", extra={"dedup_key": row.dedup_key, "error": error})
        async with self.store.transaction() as uow:
            await uow.outbox.mark_dead(row.id, lease_of(row), error=error)

    async def _gone(self, row: OutboxRow, reason: str) -> None:
        async with self.store.transaction() as uow:
            await uow.subscriptions.pause_channel(
                workspace_id=row.workspace_id, channel_id=row.channel_id, reason=reason
            )
            await uow.outbox.mark_dead(row.id, lease_of(row), error=reason)
