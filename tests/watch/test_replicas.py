"""Two `aihc-bot serve` replicas on one PostgreSQL split the work and never post twice.

PostgreSQL only: several replicas share a PostgreSQL, SQLite runs one replica (DESIGN §6).
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.simulator import Running, SimConfig, serve
from bot.workspace import FakeSlack
from tests.watch.crash_kit import (
    JOBS,
    BotProcess,
    Scenario,
    bot_env,
    check_exactly_once,
    subscribe_jobs,
)

WORK = re.compile(r"watch (poll|drain): \d+ by")


@pytest.fixture
async def sim() -> AsyncIterator[Running]:
    """The AIHC simulator, its clock frozen so only forced transitions happen."""
    async with serve(SimConfig(seed=7, scenario="demo", clock_speed=0.0)) as running:
        yield running


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack Web API."""
    async with FakeSlack() as running:
        yield running


async def test_two_replicas_share_the_work_and_never_post_twice(
    sim: Running, slack: FakeSlack, pg_database_url: str, tmp_path: Path
) -> None:
    await subscribe_jobs(pg_database_url, sim, JOBS)
    # Small claims, so that neither replica can take every due row in one tick.
    env = {**bot_env(sim, slack, pg_database_url), "WATCH_BATCH": "1"}
    bots = [BotProcess(env, tmp_path / f"replica{i}.log") for i in range(2)]
    scenario = Scenario(sim, slack, bots, random.Random(3), kill_odds=0.2, max_kills=1)
    async with scenario.running():
        await scenario.run(4, 30.0)
    check_exactly_once(slack, scenario.forced)
    for bot in bots:
        assert WORK.search(bot.log.read_text()), f"{bot.log.name} did no work"
