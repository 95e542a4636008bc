"""SIGKILL at random (seeded) moments loses and duplicates nothing, with and without faults,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
from pathlib import Path

from bot.simulator import Running
from bot.workspace import FakeSlack
from tests.serving import BotProcess
from tests.watch.crash_kit import (
    CHANNEL,
    JOBS,
    Scenario,
    bot_env,
    check_exactly_once,
    subscribe_jobs,
)
from tests.watch.helpers import all_keys

ROUNDS = 6
# Under faults every step takes retries; fewer rounds keep the test well inside a minute.
FAULTY_ROUNDS = 4
LIMIT = 30.0


async def _scenario(
    sim: Running,
    slack: FakeSlack,
    database_url: str,
    tmp_path: Path,
    api_version: str,
    *,
    seed: int,
) -> Scenario:
    """Subscribe the channel to the jobs; one bot will watch them."""
    await subscribe_jobs(database_url, sim, JOBS)
    bot = BotProcess(bot_env(sim, slack, database_url, api_version), tmp_path / "bot.log")
    return Scenario(sim, slack, [bot], random.Random(seed))


async def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path, api_version: str
) -> None:
    scenario = await _scenario(sim, slack, database_url, tmp_path, api_version, seed=11)
    async with scenario.running():
        await scenario.run(ROUNDS, LIMIT)
    assert scenario.bots[0].kills >= 1
    check_exactly_once(slack, scenario.forced)


async def test_sigkill_with_aihc_and_slack_faults_loses_and_duplicates_nothing(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path, api_version: str
) -> None:
    async with sim.control_client() as http:
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
    scenario = await _scenario(sim, slack, database_url, tmp_path, api_version, seed=23)
    async with scenario.running():
        await scenario.run(FAULTY_ROUNDS, LIMIT)
    assert scenario.bots[0].kills >= 1
    check_exactly_once(slack, scenario.forced)


async def test_lost_answers_then_throttled_or_failing_lookups_lose_and_duplicate_nothing(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path, api_version: str
) -> None:
    async def faults(step: int) -> None:
        # A post lands but its answer is lost; the lookups that follow are throttled or fail.
        slack.drop("chat.postMessage", after_accepting=True)
        slack.rate_limit("conversations.replies", times=1, retry_after=1)
        slack.server_error("conversations.replies", times=1)
        slack.rate_limit("conversations.history", times=1, retry_after=1)

    scenario = await _scenario(sim, slack, database_url, tmp_path, api_version, seed=31)
    scenario.before_round = faults
    async with scenario.running():
        await scenario.run(FAULTY_ROUNDS, LIMIT)
    assert scenario.bots[0].kills >= 1
    assert slack.calls_to("conversations.replies")
    check_exactly_once(slack, scenario.forced)


async def test_a_lost_card_edit_then_a_newer_status_leaves_each_card_at_the_newest(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path, api_version: str
) -> None:
    async def faults(step: int) -> None:
        slack.drop("chat.update", times=2)  # lost before Slack acted on them

    scenario = await _scenario(sim, slack, database_url, tmp_path, api_version, seed=37)
    scenario.before_round = faults
    async with scenario.running():
        await scenario.run(FAULTY_ROUNDS, LIMIT)
    check_exactly_once(slack, scenario.forced)


async def test_a_megabyte_log_line_and_a_long_tail_lose_and_duplicate_nothing(
    sim: Running, slack: FakeSlack, database_url: str, tmp_path: Path, api_version: str
) -> None:
    await subscribe_jobs(database_url, sim, JOBS, logs=True)
    bot = BotProcess(bot_env(sim, slack, database_url, api_version), tmp_path / "bot.log")
    scenario = Scenario(sim, slack, [bot], random.Random(41))

    async def hostile(step: int) -> None:
        for name in JOBS:
            path = f"/_sim/jobs/{scenario.job_id(name)}/logs"
            tail = [f"step {step}.{n} loss=1.0 \r 45%|████▌     | 450/1000" for n in range(10_000)]
            await scenario.control(path, lines=["NCCL node " * 100_000, *tail])

    scenario.before_round = hostile
    async with scenario.running():
        await scenario.run(FAULTY_ROUNDS, LIMIT)
    assert scenario.bots[0].kills >= 1
    check_exactly_once(slack, scenario.forced)
    logs = [k for k in all_keys(slack, CHANNEL) if k.startswith("log:")]
    assert logs, "the followed logs were never told"
