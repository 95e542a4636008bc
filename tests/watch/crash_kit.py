"""Run `aihc-bot serve` as real processes against the simulator and the fake Slack, kill them
with SIGKILL at seeded moments, and check what reached the channel."""

from __future__ import annotations

import asyncio
import random
import re
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.simulator import Running
from bot.store import Store, TargetKind
from bot.workspace import FakeSlack
from tests.serving import BotProcess, serve_env
from tests.watch.helpers import all_keys, card_of, key_of, text_of

CHANNEL = "C0001"
# Active jobs of the demo world, in pool llm-a800-pool, none with fault tolerance pending.
JOBS = ("qwen-14b-sft-3", "llama2-13b-pretrain-7", "mixtral-8x7b-pretrain-2")
CYCLE = ("Restarting", "Running")
# The card's fallback text: `name · *Status* :emoji: Running · *Queue* …`.
STATUS_ON_CARD = re.compile(r"\*Status\* :[^:\s]+: (\w+)")


def bot_env(sim: Running, slack: FakeSlack, database_url: str, api_version: str) -> dict[str, str]:
    """Return the environment of a bot process: fast ticks, short leases, no pacing, any port."""
    return serve_env(
        sim,
        slack,
        database_url,
        AIHC_API_VERSION=api_version,
        BOT_POLL_INTERVAL="1",
        WATCH_TICK_SECONDS="0.2",
        # A lease of three Slack timeouts: a send that hangs until its timeout ends in the lease.
        WATCH_LEASE_SECONDS="3",
        WATCH_SLACK_TIMEOUT="1",
        WATCH_PACE_SECONDS="0",
    )


async def subscribe_jobs(
    database_url: str, sim: Running, names: Sequence[str], *, logs: bool = False
) -> None:
    """Subscribe the channel to jobs straight in the store (the commands are tested elsewhere)."""
    store = Store.from_url(database_url)
    now = datetime.now(UTC)
    jobs = {job.name: job for job in sim.simulator.world.jobs.values()}
    try:
        async with store.transaction() as uow:
            for name in names:
                job = jobs[name]
                await uow.subscriptions.subscribe(
                    workspace_id="T0001",
                    channel_id=CHANNEL,
                    target_kind=TargetKind.JOB,
                    pool_id=job.pool_id,
                    target_ref=job.id,
                    created_by="U0001",
                    now=now,
                    notify_logs=logs,
                )
                await uow.watched_jobs.watch(
                    pool_id=job.pool_id, job_id=job.id, now=now, follow_logs=logs
                )
    finally:
        await store.dispose()


@dataclass
class Scenario:
    """Transitions forced one job at a time, each awaited in Slack, with kills in between."""

    sim: Running
    slack: FakeSlack
    bots: list[BotProcess]
    rng: random.Random
    kill_odds: float = 0.3
    max_kills: int = 3
    forced: dict[str, list[str]] = field(default_factory=dict)
    before_round: Callable[[int], Awaitable[None]] | None = None
    """Runs before each round's transitions are forced (to queue faults, print logs …)."""
    stall_seconds: float = 0.0
    """When set, a bot is stopped (SIGSTOP) this long and resumed instead of killed."""

    async def control(self, path: str, **body: object) -> None:
        """Call the simulator's control API in process."""
        async with self.sim.control_client(timeout=10) as http:
            response = await http.post(path, json=body)
            assert response.status_code == 200, response.text

    def job_id(self, name: str) -> str:
        """Return the id of a demo job."""
        return next(j.id for j in self.sim.simulator.world.jobs.values() if j.name == name)

    def seen(self, name: str, status: str, count: int) -> bool:
        """Say whether the card of `name` has `count` replies announcing `status`."""
        found = card_of(self.slack, name)
        if not found:
            return False
        replies = self.slack.thread(CHANNEL, found[0].ts)
        return sum(f"now *{status}*" in text_of(r) for r in replies) >= count

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Start every bot and wait until each serves; stop them all when the block ends.

        When the block fails, the end of each bot's log goes to stderr, which pytest shows.
        """
        try:
            for bot in self.bots:
                await bot.start()
            for bot in self.bots:
                await bot.serving()
            yield
        except BaseException:
            for bot in self.bots:
                sys.stderr.write(f"--- the end of {bot.log.name} ---\n{log_tail(bot.log)}\n")
            raise
        finally:
            for bot in self.bots:
                await bot.stop()

    async def run(self, rounds: int, limit: float) -> None:
        """Force `rounds` transitions per job, killing and restarting bots at seeded moments."""
        for name in JOBS:
            await self.slack.wait_for(lambda n=name: card_of(self.slack, n), limit, what=name)
        for step in range(rounds):
            status = CYCLE[step % 2]
            if self.before_round is not None:
                await self.before_round(step)
            for name in JOBS:
                await self.control(f"/_sim/jobs/{self.job_id(name)}/status", status=status)
                self.forced.setdefault(name, []).append(status)
                await self.maybe_kill()
            count = step // 2 + 1
            for name in JOBS:
                await self.slack.wait_for(
                    lambda n=name, s=status, c=count: self.seen(n, s, c),
                    limit,
                    what=f"{name} {status} #{count}",
                )
        # Card edits are not ordered behind the replies: wait for each card's last edit too.
        for name, statuses in self.forced.items():
            await self.slack.wait_for(
                lambda n=name, s=statuses[-1]: card_status(self.slack, n) == s,
                limit,
                what=f"the card of {name} showing {statuses[-1]}",
            )

    async def maybe_kill(self) -> None:
        """Now and then, SIGKILL a bot after a random short delay, and start it again."""
        kills = sum(bot.kills for bot in self.bots)
        if kills >= self.max_kills or self.rng.random() > self.kill_odds:
            return
        await asyncio.sleep(self.rng.uniform(0.0, 0.8))
        bot = self.rng.choice(self.bots)
        if self.stall_seconds:
            await bot.stall(self.stall_seconds)
            return
        await bot.kill()
        await bot.start()


def log_tail(log: Path, lines: int = 80) -> str:
    """Return the last lines of a bot's log, without the HTTP client's line per request."""
    if not log.exists():
        return "(no log)"
    kept = [line for line in log.read_text(errors="replace").splitlines() if " httpx " not in line]
    return "\n".join(kept[-lines:])


def card_status(slack: FakeSlack, name: str) -> str | None:
    """Return the status the card of `name` shows now, or None without a card."""
    cards = card_of(slack, name)
    found = STATUS_ON_CARD.search(cards[0].text) if cards else None
    return found.group(1) if found else None


def check_exactly_once(slack: FakeSlack, forced: dict[str, list[str]]) -> None:
    """Assert one card per job showing its last status, one reply per forced transition, and
    no dedup key twice."""
    keys = all_keys(slack, CHANNEL)
    doubled = [key for key, n in Counter(keys).items() if n > 1]
    assert doubled == [], f"posted twice: {doubled}"
    for name, statuses in forced.items():
        cards = card_of(slack, name)
        assert len(cards) == 1, f"{name}: {len(cards)} cards"
        replies = slack.thread(CHANNEL, cards[0].ts)
        told = [s for r in replies for s in CYCLE if f"now *{s}*" in text_of(r)]
        assert told == statuses, f"{name}: told {told}, forced {statuses}"
        assert card_status(slack, name) == statuses[-1], f"{name}: card {cards[0].text!r}"
        assert all(key_of(r) for r in replies)
