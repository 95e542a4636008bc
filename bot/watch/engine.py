"""The watcher: six bounded, idempotent ticks on an APScheduler `AsyncIOScheduler`.

- sweep (every tick): schedule pools that gained subscriptions; sweep the due pools' job lists
- poll (every tick): detail, events and logs of the jobs a sweep made due; diff + outbox commit
- drain (every tick): deliver due outbox rows, paced per channel
- digests (every 30 s): queue the channels' digests that are due, under leases
- heartbeat (every 10 s): record this replica as alive
- cleanup (every 10 min): forget delivered messages after a week, and long-gone replicas

Durable state and the division of work live in the store under leases, so any number of
replicas may run these ticks at once; the scheduler only keeps the clock.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from bot.aihc.client import AihcClient
from bot.domain.clock import Clock
from bot.insight.health import Limits
from bot.services.digests import DigestService
from bot.store import Store
from bot.watch.config import WatchConfig
from bot.watch.delivery import Deliverer
from bot.watch.digests import DIGEST_SECONDS, DigestTicker
from bot.watch.failures import TickFailures
from bot.watch.looks import LookConfig
from bot.watch.plan_types import Context
from bot.watch.poll import Poller
from bot.watch.ports import ChatSender
from bot.watch.sweep import Sweeper

logger = logging.getLogger(__name__)
KEEP_SENT = timedelta(days=7)
FORGET_REPLICAS = timedelta(days=1)
STOP_GRACE = 10.0


def looks_of(config: WatchConfig) -> LookConfig:
    """Return how often running jobs are looked at and what counts as hung or idle."""
    settings = config.settings
    limits = Limits(
        hang=timedelta(minutes=settings.hang_minutes),
        idle=timedelta(minutes=settings.idle_minutes),
        idle_percent=settings.idle_percent,
    )
    rules = config.progress_rules
    return LookConfig(
        every=timedelta(minutes=settings.metrics_minutes),
        limits=limits,
        rules=rules,
        pending=timedelta(minutes=settings.pending_minutes),
    )


class Watcher:
    """Run the ticks; `run_once` runs one of each in order (tests and benchmarks)."""

    def __init__(
        self,
        *,
        store: Store,
        aihc: AihcClient,
        sender: ChatSender,
        config: WatchConfig,
        clock: Clock,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        rules = config.cause_rules
        context = Context(
            clock(), config.poll_interval, rules, config.settings.log_lines, looks=looks_of(config)
        )
        self.sweeper = Sweeper(store, aihc, config, clock)
        self.poller = Poller(store, aihc, config, context, clock)
        self.deliverer = Deliverer(store, sender, config, clock)
        self.digester = DigestTicker(
            store, DigestService(store=store, aihc=aihc, causes=config.cause_rules), config, clock
        )
        self._scheduler: AsyncIOScheduler | None = None
        self._running: set[asyncio.Task[object]] = set()
        self._failures = TickFailures()

    async def sweep(self) -> int:
        """Sweep the due pools."""
        return await self.sweeper.tick(self.clock())

    async def poll(self) -> int:
        """Poll the due jobs."""
        return await self.poller.tick(self.clock())

    async def drain(self) -> int:
        """Deliver due messages."""
        return await self.deliverer.tick(self.clock())

    async def digests(self) -> int:
        """Queue the due digests."""
        return await self.digester.tick(self.clock())

    async def heartbeat(self) -> None:
        """Record that this replica is alive."""
        async with self.store.transaction() as uow:
            await uow.replicas.beat(
                replica_id=self.config.replica_id,
                now=self.clock(),
                hostname=socket.gethostname()[:255],
                pid=os.getpid(),
            )

    async def cleanup(self) -> None:
        """Forget old delivered messages and replicas not seen for a day."""
        now = self.clock()
        async with self.store.transaction() as uow:
            await uow.outbox.forget_delivered(before=now - KEEP_SENT)
            await uow.replicas.forget_before(before=now - FORGET_REPLICAS)

    async def run_once(self) -> None:
        """Run a sweep, a poll, the digests and a drain, in that order."""
        await self.sweep()
        await self.poll()
        await self.digests()
        await self.drain()

    def start(self) -> None:
        """Start the ticks on the running event loop."""
        tick = self.config.settings.tick_seconds
        # A tick every second is not news; a tick skipped because the last one still runs is
        # what max_instances=1 is for. Errors still show.
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop())
        plan: list[tuple[str, Callable[[], Awaitable[object]], float]] = [
            ("sweep", self.sweep, tick),
            ("poll", self.poll, tick),
            ("drain", self.drain, max(tick / 2, 0.1)),
            ("digests", self.digests, DIGEST_SECONDS),
            ("heartbeat", self.heartbeat, 10.0),
            ("cleanup", self.cleanup, 600.0),
        ]
        first = self.clock()
        for name, func, seconds in plan:
            scheduler.add_job(
                self._guarded(name, func),
                "interval",
                seconds=seconds,
                id=name,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=max(int(seconds), 1),
                next_run_time=datetime.now(first.tzinfo),
            )
        scheduler.start()
        self._scheduler = scheduler

    def _guarded(
        self, name: str, func: Callable[[], Awaitable[object]]
    ) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                done = await func()
                if isinstance(done, int) and done > 0:
                    logger.info("watch %s: %d by %s", name, done, self.config.replica_id)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a tick that fails is logged and runs again next time
                self._failures.failed(name, error)
            finally:
                if task is not None:
                    self._running.discard(task)

        return run

    async def stop(self) -> None:
        """Stop scheduling ticks, let the running ones end (cancelled after a grace period)."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            # Shutting the executor down cancels running ticks, so pause first and wait.
            scheduler.pause()
        running = list(self._running)
        if running:
            _done, pending = await asyncio.wait(running, timeout=STOP_GRACE)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if scheduler is not None:
            scheduler.shutdown(wait=False)
