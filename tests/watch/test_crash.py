"""SIGKILL at random (seeded) moments loses and duplicates nothing, with and without faults,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
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

ROUNDS = 6
# Under faults every step takes retries; fewer rounds keep the test well inside a minute.
FAULTY_ROUNDS = 4
LIMIT = 30.0


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


async def _scenario(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path, *, seed: int
) -> Scenario:
    """Subscribe the channel to the jobs; one bot will watch them."""
    await subscribe_jobs(database_url, sim, JOBS)
    bot = BotProcess(bot_env(sim, slack, database_url), tmp_path / "bot.log")
    return Scenario(sim, slack, [bot], random.Random(seed))


async def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    scenario = await _scenario(sim, slack, database_url, tmp_path, seed=11)
    async with scenario.running():
        await scenario.run(ROUNDS, LIMIT)
    assert scenario.bots[0].kills >= 1
    check_exactly_once(slack, scenario.forced)


async def test_sigkill_with_aihc_and_slack_faults_loses_and_duplicates_nothing(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as http:
        faults = {"error_rate": 0.2, "error_status": 500, "throttle_rate": 0.1}
        assert (await http.put("/_sim/faults", json=faults)).status_code == 200
    slack.chaos(
        ["chat.postMessage", "chat.update"],
        seed=5,
        rate_limit=0.15,
        drop_after=0.15,
        server_error=0.05,
        budget=25,
    )
    scenario = await _scenario(sim, slack, database_url, tmp_path, seed=23)
    async with scenario.running():
        await scenario.run(FAULTY_ROUNDS, LIMIT)
    assert scenario.bots[0].kills >= 1
    check_exactly_once(slack, scenario.forced)
