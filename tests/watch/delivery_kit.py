"""A delivery rig: the real drain tick and Slack sender against the fake Slack, on a real store.

Messages are queued straight into the outbox (the planner is tested elsewhere), and the rig's
clock can be moved ahead so that back-offs pass without waiting for them.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.domain import Job, JobStatus
from bot.settings import WatchSettings
from bot.slack.sender import SlackChatSender, create_sender_client
from bot.store import OutboxState, Store
from bot.store.tables import OutboxRow
from bot.watch.config import WatchConfig
from bot.watch.delivery import Deliverer
from bot.watch.payloads import CardPayload
from bot.workspace import FakeSlack
from tests.clocks import OffsetClock
from tests.watch.helpers import all_keys

WORKSPACE = "T0001"
CHANNEL = "C0001"
POOL = "pool-1"
_replicas = itertools.count(1)


def job(name: str, status: str = "Running") -> dict[str, Any]:
    """Return a card's payload for a made-up job."""
    made = Job(
        id=f"pytorchjob-{name}",
        name=name,
        pool_id=POOL,
        queue="default",
        status=JobStatus.parse(status),
    )
    return CardPayload.of(made).model_dump(mode="json")


@dataclass
class Rig:
    """One store, one fake Slack, and as many senders (replicas) as a test wants."""

    store: Store
    slack: FakeSlack
    settings: dict[str, Any] = field(default_factory=dict)
    clock: OffsetClock = field(default_factory=OffsetClock)
    """The rig's one clock: every replica's ticks, leases, turns and pacing read it."""

    def deliverer(self, **settings: Any) -> Deliverer:
        """Build a sender replica with its own name (and its own Slack client)."""
        values = {
            "pace_seconds": 0,
            "replica_id": f"replica-{next(_replicas)}",
            **self.settings,
            **settings,
        }
        config = WatchConfig(poll_interval=1.0, settings=WatchSettings(**values))
        client = create_sender_client(token=self.slack.token, api_url=self.slack.api_url)
        sender = SlackChatSender(client, lang="en", clock=self.clock)
        return Deliverer(self.store, sender, config, self.clock)

    async def card(self, name: str, *, channel: str = CHANNEL, status: str = "Running") -> int:
        """Queue the first post of a job's card; return the card's id."""
        now = self.clock()
        async with self.store.transaction() as uow:
            card = await uow.status_cards.get_or_create(
                workspace_id=WORKSPACE, channel_id=channel, pool_id=POOL, job_id=name, now=now
            )
            await uow.outbox.enqueue(
                dedup_key=f"card:{card.id}",
                workspace_id=WORKSPACE,
                channel_id=channel,
                kind="card",
                payload=job(name, status),
                now=now,
                status_card_id=card.id,
            )
            return card.id

    async def reply(self, card_id: int, name: str, old: str, new: str) -> str:
        """Queue a transition reply under a card; return its dedup key."""
        key = f"st:{card_id}:{new}:{next(_replicas)}"
        async with self.store.transaction() as uow:
            await uow.outbox.enqueue(
                dedup_key=key,
                workspace_id=WORKSPACE,
                channel_id=CHANNEL,
                kind="transition",
                payload={"job": {"id": name, "name": name}, "old": old, "new": new},
                now=self.clock(),
                status_card_id=card_id,
            )
        return key

    async def outbox(self) -> dict[str, tuple[OutboxState, int, str | None]]:
        """Return every row's state, attempts and last error, by dedup key."""
        async with self.store.transaction() as uow:
            rows = (await uow.session.scalars(select(OutboxRow))).all()
            return {r.dedup_key: (r.state, r.attempts, r.last_error) for r in rows}

    async def drain(
        self,
        done: Callable[[], object],
        *,
        deliverer: Deliverer,
        ticks: int = 30,
        step: timedelta = timedelta(seconds=5),
    ) -> None:
        """Tick until `done()` holds, moving the clock `step` ahead after each tick; bounded."""
        for _ in range(ticks):
            await deliverer.tick(self.clock())
            if done():
                return
            self.clock.offset += step
        raise AssertionError(f"not done after {ticks} ticks; outbox: {await self.outbox()}")

    async def wait_for_claim(self, deliverer: Deliverer) -> None:
        """Wait until `deliverer` holds the lease of some message; bounded."""
        owner = deliverer.config.replica_id
        for _ in range(200):
            async with self.store.transaction() as uow:
                stmt = select(func.count()).where(OutboxRow.lease_owner == owner)
                if await uow.session.scalar(stmt):
                    return
            await asyncio.sleep(0.01)
        raise AssertionError(f"{owner} claimed nothing")

    async def settled(self) -> bool:
        """Say whether nothing is left to deliver (every row sent, dropped or dead)."""
        states = await self.outbox()
        return all(
            s not in (OutboxState.PENDING, OutboxState.SENDING) for s, _, _ in states.values()
        )

    async def drain_all(self, *, deliverer: Deliverer, ticks: int = 30) -> None:
        """Tick until nothing is left to deliver; bounded."""
        for _ in range(ticks):
            await deliverer.tick(self.clock())
            if await self.settled():
                return
            self.clock.offset += timedelta(seconds=5)
        raise AssertionError(f"not settled after {ticks} ticks; outbox: {await self.outbox()}")


def doubled(slack: FakeSlack, channel: str = CHANNEL) -> list[str]:
    """Return the dedup keys posted more than once."""
    return [key for key, n in Counter(all_keys(slack, channel)).items() if n > 1]
