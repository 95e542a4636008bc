"""What watching costs, and whether it sees every job: quiet cycles, and the oldest jobs' changes.

Run by hand: `.venv/bin/python bench/watch_scale.py [--jobs 1000 10000] [--pools 20]
[--modes job pool] [--databases sqlite postgresql] [--apis v1 v2] [--changes 20] [--interval 5]`.

Each case (database × AIHC API version × subscription kind × size) runs in its own process, so
the RSS printed (peak, VmHWM) is that case's watcher alone: its store, AIHC client and the fake
Slack it posts to. The simulator runs as another process (`aihc-bot simulator`, clock frozen,
serving both versions); PostgreSQL is a throwaway cluster started the way the tests start one
(`tests/store/postgres.py`).

A case populates `--pools` pools with that many running jobs, one channel per pool following
every job (one job subscription each) or the pool (one pool subscription), rows seeded as
already seen, as after a restart. It makes every pool's sweep due and runs one sweep and one
poll: first a warm one (after a restart a pool subscription's first walk goes to the end of
the list), then three quiet ones, whose AIHC calls (the most of the three) and wall time
(median) are printed beside what a full walk of every pool and a naive per-job poller cost.
Then, with the scheduler running at `BOT_POLL_INTERVAL=--interval`, it forces the OLDEST job of
each pool (up to `--changes`) to Failed or Restarting, a second or less apart, and times each
from the forced change to the first reply under its card in Slack; a change not told within
3 intervals + 30 s counts as not told.
DESIGN §7: ≤ 150 calls and < 3 s per quiet cycle at 10,000 jobs while seeing every covered job,
< 250 MB RSS, p95 ≤ interval + 2 s for any covered job, oldest included.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import func, insert, select, update

from bot.aihc.client import AihcClient
from bot.aihc.connect import aihc_client
from bot.aihc.limits import Limits
from bot.aihc.transport import TransportOptions
from bot.domain import ApiVersion
from bot.domain.clock import Clock
from bot.settings import WatchSettings
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY
from bot.simulator.control import CONTROL_TOKEN_HEADER
from bot.simulator.server import read_banner
from bot.slack.sender import SlackChatSender, create_sender_client
from bot.store import OutboxState, Store, TargetKind
from bot.store.migrate import upgrade_in_thread
from bot.store.tables import OutboxRow, PoolSweepRow, SubscriptionRow, WatchedJobRow
from bot.watch.config import WatchConfig
from bot.watch.engine import Watcher
from bot.watch.looks import LOOK_AT
from bot.workspace import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
PAGE = 100


@dataclass
class Figures:
    """What one case measured."""

    database: str
    api: str
    mode: str
    jobs: int
    pools: int
    calls: int = 0
    full_walk: int = 0
    wall: float = 0.0
    store_read_ms: float = 0.0
    largest_pool: int = 0
    forced: int = 0
    seen: int = 0
    told: int = 0
    undelivered: int = 0
    seen_at: tuple[float, float, float] = (0.0, 0.0, 0.0)
    card: tuple[float, float, float] = (0.0, 0.0, 0.0)
    reply: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rss_mb: float = 0.0
    looks: int = 0
    look_calls: dict[str, int] | None = None
    look_wall: float = 0.0


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def start_simulator() -> tuple[asyncio.subprocess.Process, str, str]:
    """Start `aihc-bot simulator` on a free port, clock frozen; return it, its URL, its token."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "simulator", "--port", "0", "--clock-speed", "0",
        "--scenario", "empty", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        url, token = await asyncio.wait_for(read_banner(process.stdout), 60)
    except (RuntimeError, TimeoutError):
        process.kill()
        raise
    return process, url, token


async def populate(sim: httpx.AsyncClient, slack: FakeSlack, pools: int, jobs: int) -> list[str]:
    """Fill the simulator with `jobs` running jobs in `pools` pools, and give each pool its
    channel (`C0000`, `C0001`, …) in the fake Slack; return the pool ids."""
    body = {"pools": pools, "queues_per_pool": 5, "jobs": jobs, "status_mix": {"Running": 1.0}}
    made: list[str] = (await sim.post("/_sim/populate", json=body)).json()["pools"]
    for index in range(len(made)):
        slack.add_channel(f"C{index:04d}")
    return made


async def seed(store: Store, aihc: AihcClient, pools: list[str], mode: str) -> dict[str, list[str]]:
    """Make each pool's channel follow its jobs (or the pool); record every job as seen Running."""
    now = datetime.now(UTC)
    # Each row knows its job's queue, as a subscription or a sweep records it (v2 needs it).
    # Only ids and queue names are kept: whole jobs would weigh on the RSS measured.
    queues: dict[str, str] = {}
    jobs: dict[str, list[str]] = {}
    for pool in pools:
        found = await aihc.all_jobs(pool)
        queues.update((job.id, job.queue) for job in found)
        jobs[pool] = [job.id for job in found]
        del found
    subs: list[dict[str, Any]] = []
    watched: list[dict[str, Any]] = []
    for index, (pool, ids) in enumerate(jobs.items()):
        sub = {"workspace_id": "T0001", "channel_id": f"C{index:04d}", "pool_id": pool,
               "created_by": "U0001", "created_at": now}  # fmt: skip
        if mode == "pool":
            subs.append({**sub, "target_kind": TargetKind.POOL, "target_ref": pool})
        else:
            subs += [{**sub, "target_kind": TargetKind.JOB, "target_ref": j} for j in ids]
        watched += [
            {"pool_id": pool, "job_id": j, "queue_name": queues[j], "last_status": "Running",
             "active": True, "next_poll_at": None, "created_at": now, "log_cursors": {}}
            for j in ids
        ]  # fmt: skip
    async with store.transaction() as uow:
        for start in range(0, max(len(subs), len(watched)), 1000):
            if subs[start : start + 1000]:
                await uow.session.execute(insert(SubscriptionRow), subs[start : start + 1000])
            if watched[start : start + 1000]:
                await uow.session.execute(insert(WatchedJobRow), watched[start : start + 1000])
    return jobs


async def quiet_cycle(watcher: Watcher, store: Store, sim: httpx.AsyncClient) -> tuple[int, float]:
    """Make every sweep due, run a sweep and a poll; return the AIHC calls and seconds."""
    async with store.transaction() as uow:
        await uow.session.execute(update(PoolSweepRow).values(next_sweep_at=datetime.now(UTC)))
    await sim.post("/_sim/stats/reset", json={})
    started = time.perf_counter()
    swept = await watcher.sweep()
    polled = await watcher.poll()
    elapsed = time.perf_counter() - started
    calls = int((await sim.get("/_sim/stats")).json()["total"])
    assert polled == 0, f"a quiet cycle polled {polled} jobs"
    assert swept > 0
    return calls, elapsed


async def look_cycle(
    watcher: Watcher, store: Store, sim: httpx.AsyncClient, jobs: int, interval: float
) -> tuple[int, dict[str, int], float]:
    """Run one poll interval's share of the looks at running jobs, as in the steady state
    (each job looked at once per `WATCH_METRICS_MINUTES`, spread); return how many, the AIHC
    calls by operation, and the seconds."""
    now = datetime.now(UTC)
    every = watcher.config.settings.metrics_minutes * 60
    share = -(-jobs * int(interval) // int(every))
    looked = {
        "looked_at": (now - timedelta(seconds=every)).isoformat(),
        "moved_at": now.isoformat(),
    }
    async with store.transaction() as uow:
        ids = (
            await uow.session.scalars(
                select(WatchedJobRow.id).order_by(WatchedJobRow.id).limit(share)
            )
        ).all()
        for start in range(0, len(ids), 1000):
            await uow.session.execute(
                update(WatchedJobRow)
                .where(WatchedJobRow.id.in_(ids[start : start + 1000]))
                .values(next_poll_at=now, log_cursors={LOOK_AT: now.isoformat()}, insight=looked)
            )
    await sim.post("/_sim/stats/reset", json={})
    started = time.perf_counter()
    while await watcher.poll():
        pass
    elapsed = time.perf_counter() - started
    operations: dict[str, int] = (await sim.get("/_sim/stats")).json()["operations"]
    return share, operations, elapsed


async def store_read_ms(store: Store, pool: str) -> float:
    """Time what each sweep reads of one pool from the store: its active watched jobs."""
    started = time.perf_counter()
    async with store.transaction() as uow:
        await uow.watched_jobs.active_states(pool_id=pool)
    return (time.perf_counter() - started) * 1000


async def oldest_changes(
    watcher: Watcher,
    slack: FakeSlack,
    sim: httpx.AsyncClient,
    oldest: list[tuple[str, str]],
    patience: float,
) -> tuple[dict[str, datetime], list[float], list[float]]:
    """Force each (channel, job) to change, a second or less apart; time each to its card
    (the change shown in Slack) and to the reply under it; return both lists of seconds."""
    rng = random.Random(7)
    loop = asyncio.get_running_loop()
    pending: dict[str, float] = {}
    forced_at: dict[str, datetime] = {}
    carded: set[str] = set()
    cards: list[float] = []
    replies: list[float] = []

    def note() -> None:
        """Time the changes whose card or reply is in Slack now."""
        for channel, started in list(pending.items()):
            posted = slack.messages(channel)
            if posted and channel not in carded:
                carded.add(channel)
                cards.append(time.perf_counter() - started)
            if any(slack.thread(channel, m.ts) for m in posted):
                replies.append(time.perf_counter() - started)
                del pending[channel]

    watcher.start()
    try:
        for index, (channel, job_id) in enumerate(oldest):
            gap = loop.time() + rng.uniform(0.0, 1.0)
            while loop.time() < gap:
                note()
                await asyncio.sleep(0.02)
            status = "Failed" if index % 2 == 0 else "Restarting"
            pending[channel] = time.perf_counter()
            forced_at[job_id] = datetime.now(UTC)
            body = {"status": status, "reason": "nccl_timeout"}
            (await sim.post(f"/_sim/jobs/{job_id}/status", json=body)).raise_for_status()
        deadline = loop.time() + patience
        while pending and loop.time() < deadline:
            note()
            await asyncio.sleep(0.02)
    finally:
        await watcher.stop()
    return forced_at, cards, replies


async def diagnose(store: Store, forced_at: dict[str, datetime]) -> tuple[list[float], int]:
    """Return seconds from each forced change to the poll that saw it (the sweep found it
    changed, the poll fetched it), and how many messages are still unsent."""
    async with store.transaction() as uow:
        stmt = select(WatchedJobRow.job_id, WatchedJobRow.status_changed_at).where(
            WatchedJobRow.job_id.in_(list(forced_at))
        )
        changed = (await uow.session.execute(stmt)).all()
        unsent = select(func.count()).where(OutboxRow.state != OutboxState.SENT)
        undelivered = int(await uow.session.scalar(unsent) or 0)
    seen = [
        (at - forced_at[job]).total_seconds()
        for job, at in changed
        if at is not None and at >= forced_at[job]
    ]
    return seen, undelivered


def spread(timings: list[float]) -> tuple[float, float, float]:
    """Return p50, p95 and max of some seconds."""
    if not timings:
        return (0.0, 0.0, 0.0)
    ordered = sorted(timings)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return (statistics.median(ordered), p95, ordered[-1])


async def run_case(figures: Figures, database_url: str, args: argparse.Namespace) -> None:
    """Measure one case into `figures`."""
    process, url, token = await start_simulator()
    control = {CONTROL_TOKEN_HEADER: token}
    try:
        async with (
            httpx.AsyncClient(base_url=url, headers=control, timeout=120) as sim,
            FakeSlack() as slack,
        ):
            pools = await populate(sim, slack, figures.pools, figures.jobs)
            await upgrade_in_thread(database_url)
            store = Store.from_url(database_url)
            options: TransportOptions = {}
            if args.rate:
                options["limits"] = Limits(rate_per_second=args.rate, burst=int(args.rate))
            aihc = aihc_client(
                ApiVersion(figures.api),
                url,
                DEFAULT_ACCESS_KEY,
                SecretStr(DEFAULT_SECRET_KEY),
                **options,
            )
            jobs = await seed(store, aihc, pools, figures.mode)
            settings = WatchSettings(pace_seconds=1.0, tick_seconds=0.5)
            config = WatchConfig(poll_interval=args.interval, settings=settings)
            clock = Clock()
            sender = SlackChatSender(
                create_sender_client(token=slack.token, api_url=slack.api_url),
                lang="en",
                clock=clock,
            )
            watcher = Watcher(store=store, aihc=aihc, sender=sender, config=config, clock=clock)
            await quiet_cycle(watcher, store, sim)  # warm: pools scheduled, first walks
            cycles = [await quiet_cycle(watcher, store, sim) for _ in range(3)]
            figures.calls = max(c for c, _ in cycles)
            figures.wall = statistics.median(t for _, t in cycles)
            figures.full_walk = sum(len(ids) // PAGE + 1 for ids in jobs.values())
            largest = max(jobs, key=lambda p: len(jobs[p]))
            figures.largest_pool = len(jobs[largest])
            figures.store_read_ms = await store_read_ms(store, largest)
            # The oldest job of each pool: the list gives newest first.
            oldest = [(f"C{i:04d}", jobs[p][-1]) for i, p in enumerate(pools)][: args.changes]
            patience = 3 * args.interval + 30
            forced_at, cards, replies = await oldest_changes(watcher, slack, sim, oldest, patience)
            figures.forced, figures.told = len(oldest), len(replies)
            seen_at, figures.undelivered = await diagnose(store, forced_at)
            figures.seen, figures.seen_at = len(seen_at), spread(seen_at)
            figures.card, figures.reply = spread(cards), spread(replies)
            # Last: its card edits would queue ahead of the forced changes' replies.
            looks = await look_cycle(watcher, store, sim, figures.jobs, args.interval)
            figures.looks, figures.look_calls, figures.look_wall = looks
            await aihc.aclose()
            await store.dispose()
    finally:
        process.terminate()
        await process.wait()
    figures.rss_mb = peak_rss_mb()


def report(f: Figures, interval: float) -> str:
    """Return one case's figures as a line."""
    told = f"{f.told}/{f.forced} oldest-job changes told, {f.seen} seen by the poll"
    told += f" ({f.undelivered} messages unsent at the end)"
    if f.seen:
        told += "; p50/p95/max to the poll {:.2f}/{:.2f}/{:.2f} s".format(*f.seen_at)
    if f.told:
        told += "; p50/p95/max to the card {:.2f}/{:.2f}/{:.2f} s".format(*f.card)
        told += ", to the reply {:.2f}/{:.2f}/{:.2f} s".format(*f.reply)
    return (
        f"{f.database:<10} {f.api} {f.mode:>4} subs, {f.jobs:>6} jobs / {f.pools} pools: "
        f"quiet cycle {f.calls} AIHC calls (full walk {f.full_walk}, naive poller {f.jobs}), "
        f"{f.wall:.2f} s, store read {f.store_read_ms:.0f} ms for {f.largest_pool} rows, "
        f"peak RSS {f.rss_mb:.0f} MB; {told} (interval {interval:g} s); {_looks(f)}"
    )


def _looks(f: Figures) -> str:
    calls = f.look_calls or {}
    shown = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
    total = sum(calls.values())
    return f"look cycle: {f.looks} looks, {total} AIHC calls ({shown}), {f.look_wall:.2f} s"


def one_case(args: argparse.Namespace) -> None:
    """Run the case named on the command line; print its figures as JSON."""
    database, api, mode, jobs, pools = args.case.split(":")
    figures = Figures(database, api, mode, int(jobs), int(pools))
    asyncio.run(run_case(figures, args.database_url, args))
    print(json.dumps(asdict(figures)))


def main() -> None:
    """Run every case in its own process; print a line for each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--pools", type=int, default=20)
    parser.add_argument("--modes", nargs="+", choices=["job", "pool"], default=["job", "pool"])
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--apis", nargs="+", choices=["v1", "v2"], default=["v1", "v2"])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument(
        "--rate", type=float, default=None, help="AIHC requests/s cap (default: the client's)"
    )
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        one_case(args)
        return
    cluster = None
    if "postgresql" in args.databases:
        # The tests' throwaway cluster; `tests` is not installed, so it is found from the repo.
        sys.path.insert(0, str(ROOT))
        from tests.store.postgres import PostgresCluster

        cluster = PostgresCluster()
        cluster.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            number = 0
            cases = [
                (database, api, size, mode)
                for database in args.databases
                for api in args.apis
                for size in args.jobs
                for mode in args.modes
            ]
            for database, api, size, mode in cases:
                number += 1
                if database == "sqlite":
                    url = f"sqlite+aiosqlite:///{Path(tmp) / f'bench{number}.db'}"
                else:
                    assert cluster is not None
                    url = cluster.create_database(f"bench{number}")
                case = f"{database}:{api}:{mode}:{size}:{args.pools}"
                command = [
                    sys.executable, __file__, "--case", case, "--database-url", url,
                    "--changes", str(args.changes), "--interval", str(args.interval),
                ]  # fmt: skip
                if args.rate:
                    command += ["--rate", str(args.rate)]
                done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
                if done.returncode != 0:
                    print(f"{case} failed:\n{done.stderr[-3000:]}", flush=True)
                    continue
                found = json.loads(done.stdout.strip().splitlines()[-1])
                for key in ("seen_at", "card", "reply"):
                    found[key] = tuple(found[key])
                figures = Figures(**found)
                print(report(figures, args.interval), flush=True)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
