"""What a channel's digest and a person's App Home cost: AIHC calls, time, blocks, chart.

Run by hand: `.venv/bin/python bench/digest_home_cost.py [--jobs 1000 10000] [--pools 4]`.

For each size, an in-process simulator (clock frozen, `empty` world) is populated with that many
jobs in `--pools` pools (a mix of running, queued, succeeded and failed), a channel subscribes to
every pool, and a person is linked to the AIHC user who created the first job. It then computes
the channel's weekly digest three times and gathers the person's Home three times, on SQLite,
printing the AIHC calls each made (the simulator's count), the median wall time, the digest's
blocks and the chart's draw time and PNG size. Both are bounded by design (a digest reads at most
ten lists of ten pages and twenty failures' causes; Home each pool's newest 300 jobs, twenty
pools, ten failures' causes), so the calls stop growing past the bound while jobs grow.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.domain import CREATOR_LABEL, TargetKind
from bot.domain.digest import DigestPeriod
from bot.services.actor import Actor
from bot.services.digests import DigestService
from bot.services.home import HomeService
from bot.services.permissions import PermissionService
from bot.services.reads import ReadService
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SimConfig, serve
from bot.slack.render.digest import digest_blocks, digest_chart
from bot.store import Store
from bot.store.migrate import upgrade_in_thread

TEAM, CHANNEL, USER = "T0001", "C0001", "U0001"
MIX = {"Running": 0.3, "Pending": 0.2, "Succeeded": 0.3, "Failed": 0.2}
ROUNDS = 3


async def case(jobs: int, pools: int, folder: Path) -> None:
    """Measure one size."""
    url = f"sqlite+aiosqlite:///{folder / f'bench-{jobs}.db'}"
    await upgrade_in_thread(url)
    store = Store.from_url(url)
    config = SimConfig(seed=3, scenario="empty", clock_speed=0.0)
    async with serve(config) as sim, sim.control_client() as control:
        body = {"pools": pools, "queues_per_pool": 4, "jobs": jobs, "status_mix": MIX}
        made = (await control.post("/_sim/populate", json=body)).json()["pools"]
        world = sim.simulator.world
        creator = next(iter(world.jobs.values())).labels.get(CREATOR_LABEL, "")
        now = datetime.fromtimestamp(sim.simulator.clock.now(), UTC)
        async with store.transaction() as uow:
            for pool in made:
                await uow.subscriptions.subscribe(
                    workspace_id=TEAM, channel_id=CHANNEL, target_kind=TargetKind.POOL,
                    pool_id=pool, target_ref=pool, created_by=USER, now=now,
                )  # fmt: skip
            await uow.user_links.link(
                workspace_id=TEAM, slack_user_id=USER, aihc_user_name=creator, by=USER, now=now
            )
        secret = SecretStr(DEFAULT_SECRET_KEY)
        async with AihcClient(sim.url, DEFAULT_ACCESS_KEY, secret) as aihc:
            digests = DigestService(store=store, aihc=aihc)
            home = HomeService(
                aihc=aihc,
                store=store,
                permissions=PermissionService(store=store),
                reads=ReadService(aihc=aihc, store=store),
            )
            actor = Actor(team_id=TEAM, channel_id="", user_id=USER)

            async def one_digest() -> object:
                return await digests.digest(
                    workspace_id=TEAM, channel_id=CHANNEL, period=DigestPeriod.WEEKLY, end=now
                )

            digest_calls, digest_wall, made_digest = await measure(control, one_digest)
            home_calls, home_wall, _ = await measure(control, lambda: home.home(actor, now=now))
    await store.dispose()
    blocks = digest_blocks(made_digest, lang="en", tz=UTC)  # type: ignore[arg-type]
    started = time.perf_counter()
    chart = digest_chart(made_digest, lang="zh", tz=UTC)  # type: ignore[arg-type]
    drawn = time.perf_counter() - started
    size = len(chart.png) if chart is not None else 0
    print(
        f"{jobs:>6} jobs in {pools} pools | digest: {digest_calls} AIHC calls, "
        f"{digest_wall * 1000:.0f} ms, {len(blocks)} blocks, chart {drawn * 1000:.0f} ms "
        f"{size / 1024:.0f} KiB | Home: {home_calls} AIHC calls, {home_wall * 1000:.0f} ms"
    )


async def measure(control: object, make: object) -> tuple[int, float, object]:
    """Run `make` ROUNDS times; return the most AIHC calls of one run, the median time, a result."""
    calls, walls, result = [], [], None
    for _ in range(ROUNDS):
        await control.post("/_sim/stats/reset", json={})  # type: ignore[attr-defined]
        started = time.perf_counter()
        result = await make()  # type: ignore[operator]
        walls.append(time.perf_counter() - started)
        stats = (await control.get("/_sim/stats")).json()  # type: ignore[attr-defined]
        calls.append(int(stats["total"]))
    return max(calls), statistics.median(walls), result


def main() -> None:
    """Parse the arguments and run every size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--pools", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for jobs in args.jobs:
            asyncio.run(case(jobs, args.pools, Path(folder)))


if __name__ == "__main__":
    main()
