"""Two `aihc-bot serve` replicas on one PostgreSQL split the work and never post twice."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.simulator import Running, SimConfig, serve
from bot.workspace import FakeSlack
from tests.store.conftest import pg_cluster, pg_template
from tests.store.postgres import PostgresCluster
from tests.watch.crash_kit import (
    JOBS,
    BotProcess,
    Scenario,
    bot_env,
    check_exactly_once,
    subscribe_jobs,
)

__all__ = ["pg_cluster", "pg_template"]
_numbers = itertools.count()
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


@pytest.fixture
def database_url(pg_cluster: PostgresCluster, pg_template: str) -> str:
    """A fresh, migrated PostgreSQL database."""
    return pg_cluster.create_database(f"replicas_{next(_numbers)}", template=pg_template)


async def test_two_replicas_share_the_work_and_never_post_twice(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    await subscribe_jobs(database_url, sim, JOBS)
    # Small claims, so that neither replica can take every due row in one tick.
    env = {**bot_env(sim, slack, database_url), "WATCH_BATCH": "1"}
    bots = [BotProcess(env, tmp_path / f"replica{i}.log") for i in range(2)]
    scenario = Scenario(sim, slack, bots, random.Random(3), kill_odds=0.2, max_kills=1)
    for bot in bots:
        await bot.start()
    try:
        await scenario.run(4, 30.0)
    finally:
        for bot in bots:
            await bot.stop()
    check_exactly_once(slack, scenario.forced)
    for bot in bots:
        assert WORK.search(bot.log.read_text()), f"{bot.log.name} did no work"
