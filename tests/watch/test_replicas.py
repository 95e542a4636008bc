"""Two `aihc-bot serve` replicas on one PostgreSQL split the work and never post twice.

PostgreSQL only: several replicas share a PostgreSQL, SQLite runs one replica (DESIGN §6).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from bot.simulator import Running
from bot.workspace import FakeSlack
from tests.serving import BotProcess
from tests.watch.crash_kit import (
    JOBS,
    Scenario,
    bot_env,
    check_exactly_once,
    subscribe_jobs,
)

WORK = re.compile(r"watch (poll|drain): \d+ by")


async def test_two_replicas_share_the_work_and_never_post_twice(
    sim: Running, slack: FakeSlack, pg_database_url: str, tmp_path: Path, api_version: str
) -> None:
    await subscribe_jobs(pg_database_url, sim, JOBS)
    # Small claims, so that neither replica can take every due row in one tick.
    env = {**bot_env(sim, slack, pg_database_url, api_version), "WATCH_BATCH": "1"}
    bots = [BotProcess(env, tmp_path / f"replica{i}.log") for i in range(2)]
    scenario = Scenario(sim, slack, bots, random.Random(3), kill_odds=0.2, max_kills=1)
    async with scenario.running():
        await scenario.run(4, 30.0)
    check_exactly_once(slack, scenario.forced)
    for bot in bots:
        assert WORK.search(bot.log.read_text()), f"{bot.log.name} did no work"


async def test_a_replica_frozen_past_its_lease_mid_post_hands_over_and_nothing_doubles(
    sim: Running, slack: FakeSlack, pg_database_url: str, tmp_path: Path, api_version: str
) -> None:
    await subscribe_jobs(pg_database_url, sim, JOBS)
    env = bot_env(sim, slack, pg_database_url, api_version)
    bots = [BotProcess(env, tmp_path / f"replica{i}.log") for i in range(2)]
    # Posts stay in flight most of a second, so a replica is often frozen mid-post; it stays
    # frozen (SIGSTOP) past its 3 s lease while the other replica takes its work over.
    scenario = Scenario(
        sim, slack, bots, random.Random(5), kill_odds=0.6, max_kills=3, stall_seconds=4.0
    )

    async def slow_posts(step: int) -> None:
        slack.slow("chat.postMessage", 0.8, times=len(JOBS) * 2)

    scenario.before_round = slow_posts
    async with scenario.running():
        await scenario.run(4, 30.0)
    assert sum(bot.kills for bot in bots) >= 1  # at least one freeze happened
    check_exactly_once(slack, scenario.forced)
