"""One turn of one outbox row: decide, look up if in doubt, post or edit; return the outcome.

The turn writes only the attempt it starts (committed before the Slack call, so a crash leaves the
row visibly in doubt); the drain tick writes where the outcome takes the row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.store import OutboxState, Store, lease_of
from bot.store.tables import OutboxRow, StatusCardRow
from bot.watch.kinds import ORDERED, POLICY, NoticeKind
from bot.watch.outcomes import MAX_AGE, Outcome
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
WAIT_FOR_ORDER = 0.5
WAIT_FOR_CARD = 2.0
# A try that may have landed, or a lookup that failed, is tried again after 1, 2, 4 … 60 s.
RETRY_BASE = 0.5


@dataclass(frozen=True)
class Result:
    """How a turn ended: the outcome, when to come back, and what to remember."""

    outcome: Outcome
    wait: float = 0.0
    reason: str = ""
    detail: str = ""
    """A short machine code (a Slack error), logged and kept; never shown in chat."""
    ts: str | None = None
    counted: bool = False
    """Whether this turn counted an attempt (a lookup or a post or edit began)."""


@dataclass
class Turn:
    """Take one claimed row one step through its delivery."""

    row: OutboxRow
    store: Store
    sender: ChatSender
    clock: Callable[[], datetime]
    max_attempts: int
    lease_left: Callable[[], float]
    margin: float
    pace: Callable[[str], float]
    """Seconds until the channel may have its next post (0: now); never sleeps."""
    posted: Callable[[str], None]
    """Note that a post to the channel just ended (Slack has acted on it, or never will)."""

    async def take(self) -> Result:
        """Run the turn and return its outcome."""
        row = self.row
        try:
            kind = NoticeKind(row.kind)
        except ValueError:
            return Result(Outcome.REJECTED, reason=f"unknown kind {row.kind[:32]!r}")
        if self.clock() - row.created_at > MAX_AGE:
            return Result(Outcome.EXHAUSTED, reason="expired: still undelivered after an hour")
        early, card = await self._check(kind)
        if early is not None:
            return early
        if row.attempts >= self.max_attempts:
            last = f" (last: {row.last_error})" if row.last_error else ""
            return Result(Outcome.EXHAUSTED, reason=f"gave up after {row.attempts} tries{last}")
        policy = POLICY[kind]
        target = card.slack_ts if card is not None else None
        if (policy.edit or policy.threaded) and target is None:
            return Result(Outcome.REJECTED, reason="no card to edit or reply under")
        message = Outgoing(
            dedup_key=row.dedup_key,
            channel_id=row.channel_id,
            kind=row.kind,
            payload=row.payload,
            thread_ts=target if policy.threaded else None,
            broadcast=policy.broadcast,
        )
        if row.state is OutboxState.SENDING and not policy.edit:
            settled = await self._look_up(message)
            if settled is not None:
                return settled
        return await self._send(message, target if policy.edit else None)

    async def _check(self, kind: NoticeKind) -> tuple[Result | None, StatusCardRow | None]:
        """Decide in the database whether the row may go now; return an early outcome if not."""
        row, policy = self.row, POLICY[kind]
        async with self.store.transaction() as uow:
            paused = await uow.subscriptions.channel_paused(
                workspace_id=row.workspace_id, channel_id=row.channel_id
            )
            if paused:
                return Result(Outcome.PAUSED, reason="channel paused"), None
            card = await uow.status_cards.get(row.status_card_id) if row.status_card_id else None
            if policy.coalesced:
                version = row.card_version
                if card is not None and version is not None and version <= card.shown_version:
                    return Result(Outcome.SUPERSEDED, reason="a newer edit is shown"), card
                if await uow.outbox.newer_edit_queued(row):
                    return Result(Outcome.SUPERSEDED, reason="a newer edit is queued"), card
                if await uow.outbox.older_edit_in_flight(row, now=self.clock()):
                    return Result(Outcome.WAITING, wait=WAIT_FOR_ORDER), card
            if policy.ordered and await uow.outbox.earlier_undelivered(row, kinds=ORDERED):
                return Result(Outcome.WAITING, wait=WAIT_FOR_ORDER), card
            if card is None or card.slack_ts is not None or kind is NoticeKind.CARD:
                return None, card
            posted = await uow.outbox.state_of(dedup_key=f"card:{card.id}")
        if posted in OutboxState.undelivered():
            # The card's first post must land before its edits and thread replies.
            return Result(Outcome.WAITING, wait=WAIT_FOR_CARD), card
        return Result(Outcome.CARD_LOST, reason="the card was never posted"), card

    async def _look_up(self, message: Outgoing) -> Result | None:
        """Look for a message in doubt; None when the lookup answered and it is not there."""
        row = self.row
        if self.lease_left() < self.margin:
            return Result(Outcome.LEASE_SHORT)
        async with self.store.transaction() as uow:
            await uow.outbox.count_attempt(row.id, lease_of(row))
        retry = backoff(RETRY_BASE, row.attempts + 1, cap=60.0)
        try:
            found = await self.sender.find(
                row.channel_id, message.thread_ts, row.dedup_key, since=row.sending_since
            )
        except ChatRateLimited as error:
            wait = max(error.retry_after, retry)
            return Result(
                Outcome.LOOKUP_FAILED, wait, "lookup throttled", "ratelimited", counted=True
            )
        except ChatChannelGone as error:
            return Result(Outcome.CHANNEL_GONE, 0, error.reason, error.reason, counted=True)
        except ChatRejected as error:
            why = f"cannot look up the history: {error}"
            return Result(Outcome.REJECTED, 0, why, str(error), counted=True)
        except ChatError as error:
            return Result(Outcome.LOOKUP_FAILED, retry, "lookup failed", str(error), counted=True)
        if found is not None:
            return Result(Outcome.DELIVERED, ts=found, counted=True)
        return None

    async def _send(self, message: Outgoing, target: str | None) -> Result:
        """Post (or edit `target`) after a committed `sending` mark."""
        row = self.row
        if target is None and (wait := self.pace(row.channel_id)) > 0:
            # A drain tick never sleeps for one channel while others have posts to make.
            return Result(Outcome.PACED, wait)
        if self.lease_left() < self.margin:
            return Result(Outcome.LEASE_SHORT)
        async with self.store.transaction() as uow:
            await uow.outbox.mark_sending(row.id, lease_of(row), now=self.clock())
        if self.lease_left() < self.margin:
            # Frozen (a pause, SIGSTOP) after the mark: another replica may hold the row now.
            return Result(Outcome.LEASE_SHORT, counted=True)
        try:
            if target is not None:
                await self.sender.update(message, target)
                ts: str | None = target
            else:
                try:
                    ts = await self.sender.post(message)
                finally:
                    # The pace runs from when the post ended, not from when it was tried:
                    # Slack acts on a post before it answers, so two posts land at least a
                    # pace apart however long the mark or the first answer took.
                    self.posted(row.channel_id)
        except ChatRateLimited as error:
            return Result(
                Outcome.THROTTLED, error.retry_after, "throttled", "ratelimited", counted=True
            )
        except ChatChannelGone as error:
            return Result(Outcome.CHANNEL_GONE, 0, error.reason, error.reason, counted=True)
        except ChatRejected as error:
            return Result(Outcome.REJECTED, 0, f"refused: {error}", str(error), counted=True)
        except ChatError as error:
            retry = backoff(RETRY_BASE, row.attempts + 1, cap=60.0)
            return Result(Outcome.IN_DOUBT, retry, "no answer", str(error), counted=True)
        return Result(Outcome.DELIVERED, ts=ts, counted=True)
