"""What watching costs: AIHC calls, wall time and memory per quiet cycle; change-to-Slack latency.

Run by hand: `.venv/bin/python bench/watch_scale.py [--jobs 1000 10000] [--changes 20]`.
The simulator runs as its own process (`aihc-bot simulator`, clock frozen), so the RSS printed is
the watcher's own: its store (SQLite in a temp dir), its AIHC client and the fake Slack it posts
to. For each size it populates 20 pools with that many running jobs, watches all of them (rows
seeded as already seen, as after a restart), makes every pool's sweep due, runs one sweep and one
poll, and counts the v1 calls the simulator served. A naive poller asks for each job's detail
once per cycle. Then it forces `--changes` transitions while the scheduler runs with
`BOT_POLL_INTERVAL=--interval` and times each from the forced change to its reply in Slack.
DESIGN §7: ≤ 150 calls and < 3 s per quiet cycle at 10,000 jobs, < 250 MB RSS, p95 ≤ interval + 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from pydantic import SecretStr
from sqlalchemy import insert, update

from bot.aihc.client import AihcClient
from bot.aihc.limits import Limits
from bot.aihc.transport import TransportOptions
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY
from bot.slack.sender import SlackChatSender, create_sender_client
from bot.store import Store, TargetKind
from bot.store.migrate import upgrade_in_thread
from bot.store.tables import PoolSweepRow, SubscriptionRow, WatchedJobRow
from bot.watch.config import WatchConfig, WatchSettings
from bot.watch.engine import Watcher
from bot.workspace import FakeSlack

CHANNEL = "C0001"


def rss_mb() -> float:
    """Return this process's resident memory in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def start_simulator(port: int) -> asyncio.subprocess.Process:
    """Start `aihc-bot simulator` with a frozen clock and wait until it answers."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "simulator", "--port", str(port), "--clock-speed", "0",
        "--scenario", "empty", stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        for _ in range(200):
            try:
                await http.get("/_sim/stats")
                return process
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError("the simulator did not start")


async def seed(store: Store, aihc: AihcClient, pools: list[str]) -> list[tuple[str, str]]:
    """Subscribe the channel to every job and record each as already seen Running."""
    now = datetime.now(UTC)
    jobs = [(p, job.id) for p in pools for job in await aihc.all_jobs(p)]
    subscriptions = [
        {"workspace_id": "T0001", "channel_id": CHANNEL, "target_kind": TargetKind.JOB,
         "pool_id": p, "target_ref": j, "created_by": "U0001", "created_at": now}
        for p, j in jobs
    ]  # fmt: skip
    watched = [
        {"pool_id": p, "job_id": j, "last_status": "Running", "active": True,
         "next_poll_at": None, "created_at": now, "log_cursors": {}}
        for p, j in jobs
    ]  # fmt: skip
    async with store.transaction() as uow:
        for start in range(0, len(jobs), 1000):
            await uow.session.execute(insert(SubscriptionRow), subscriptions[start : start + 1000])
            await uow.session.execute(insert(WatchedJobRow), watched[start : start + 1000])
    return jobs


async def quiet_cycle(watcher: Watcher, store: Store, sim: httpx.AsyncClient) -> tuple[int, float]:
    """Make every sweep due, run a sweep and a poll; return the AIHC calls and seconds."""
    async with store.transaction() as uow:
        await uow.session.execute(update(PoolSweepRow).values(next_sweep_at=datetime.now(UTC)))
    await sim.post("/_sim/stats/reset")
    started = time.perf_counter()
    swept = await watcher.sweep()
    polled = await watcher.poll()
    elapsed = time.perf_counter() - started
    calls = int((await sim.get("/_sim/stats")).json()["total"])
    assert polled == 0, f"a quiet cycle polled {polled} jobs"
    assert swept > 0
    return calls, elapsed


async def latency(
    watcher: Watcher,
    slack: FakeSlack,
    sim: httpx.AsyncClient,
    jobs: list[tuple[str, str]],
    changes: int,
) -> list[float]:
    """Force transitions one by one; return seconds from each to its reply in Slack."""
    rng = random.Random(7)
    picked = rng.sample(jobs, changes)
    watcher.start()
    timings = []
    try:
        for _, job_id in picked:
            await asyncio.sleep(rng.uniform(0.0, 1.0))
            before = len(slack.calls_to("chat.postMessage"))
            started = time.perf_counter()
            await sim.post(f"/_sim/jobs/{job_id}/status", json={"status": "Restarting"})
            # A changed job gets its card and then the reply: two posts.
            await slack.wait_for(
                lambda b=before: len(slack.calls_to("chat.postMessage")) >= b + 2, 120
            )
            timings.append(time.perf_counter() - started)
    finally:
        await watcher.stop()
    return timings


async def measure(size: int, args: argparse.Namespace) -> None:
    """Run the quiet cycles and, for the largest size, the latency figures; print them."""
    port = 18000 + size % 1000
    process = await start_simulator(port)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=120) as sim, FakeSlack() as slack:
            mix = {"Running": 1.0}
            body = {"pools": 20, "queues_per_pool": 5, "jobs": size, "status_mix": mix}
            pools = (await sim.post("/_sim/populate", json=body)).json()["pools"]
            with tempfile.TemporaryDirectory() as tmp:
                database = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
                await upgrade_in_thread(database)
                store = Store.from_url(database)
                options: TransportOptions = {}
                if args.rate:
                    options["limits"] = Limits(rate_per_second=args.rate, burst=int(args.rate))
                aihc = AihcClient(url, DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY), **options)
                jobs = await seed(store, aihc, pools)
                settings = WatchSettings(pace_seconds=1.0, tick_seconds=0.5)
                config = WatchConfig(poll_interval=args.interval, settings=settings)
                sender = SlackChatSender(
                    create_sender_client(token=slack.token, api_url=slack.api_url),
                    lang="en",
                    clock=lambda: datetime.now(UTC),
                )
                watcher = Watcher(
                    store=store, aihc=aihc, sender=sender, config=config,
                    clock=lambda: datetime.now(UTC),
                )  # fmt: skip
                await quiet_cycle(watcher, store, sim)  # warm: pools scheduled, caches filled
                cycles = [await quiet_cycle(watcher, store, sim) for _ in range(3)]
                calls = max(c for c, _ in cycles)
                wall = statistics.median(t for _, t in cycles)
                print(
                    f"{len(jobs):>6} watched jobs / {len(pools)} pools: quiet cycle {calls} "
                    f"AIHC calls (naive per-job poller: {len(jobs)}), {wall:.2f} s at "
                    f"{args.rate or Limits().rate_per_second:g} req/s, "
                    f"RSS {rss_mb():.0f} MB"
                )
                if args.changes and size == max(args.jobs):
                    timings = sorted(await latency(watcher, slack, sim, jobs, args.changes))
                    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
                    print(
                        f"change-to-Slack latency over {len(timings)} changes at poll interval "
                        f"{args.interval:g} s: p50 {statistics.median(timings):.2f} s, "
                        f"p95 {p95:.2f} s, max {timings[-1]:.2f} s"
                    )
                await aihc.aclose()
                await store.dispose()
    finally:
        process.terminate()
        await process.wait()


def main() -> None:
    """Measure each size in turn."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument(
        "--rate", type=float, default=None, help="AIHC requests/s cap (default: the client's)"
    )
    args = parser.parse_args()
    for size in args.jobs:
        asyncio.run(measure(size, args))


if __name__ == "__main__":
    main()
