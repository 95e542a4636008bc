"""How fast `/aihc` is acknowledged while a big watch runs, and what a burst of commands costs AIHC.

Run by hand: `.venv/bin/python bench/ack_latency.py [--jobs 10000] [--pools 10] [--commands 100]
[--interval 5] [--rounds 3]`.

The simulator runs as its own process (`aihc-bot simulator`, clock frozen) with `--pools` pools
holding `--jobs` running jobs; one channel per pool follows every job of its pool (one job
subscription each, rows seeded as already seen, as `bench/watch_scale.py` does). The bot is
`aihc-bot serve` in HTTP mode, a process of its own on a SQLite file, its watcher polling every
`--interval` seconds; the fake Slack runs in this process. Once the watcher is sweeping, each
round sends `--commands` signed slash commands at once (a mix of `pools`, `queues`, `jobs`, `job
show`, `job events`, `job logs`, `subscriptions`, `help`, as several people) and times each HTTP
answer (the ack Slack waits 3 s for); then it waits for every answer to reach its response_url.
AIHC calls are read from `/_sim/stats`, reset before each round and read once every answer is
in: with the watch, the commands' and the watcher's calls together; with `--no-watch`
(nothing subscribed) the commands' alone.
Target (issue 12): ack p99 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.limits import Limits
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY
from bot.simulator.control import CONTROL_TOKEN_HEADER
from bot.simulator.server import read_banner
from bot.store import Store
from bot.store.migrate import upgrade_in_thread
from bot.workspace import FakeSlack, SlackSender

sys.path.insert(0, str(Path(__file__).resolve().parent))
from watch_scale import populate, seed  # a sibling script, not a package

SIGNING_SECRET = "ack-latency-bench-signing-secret"  # noqa: S105 - its own bot's, made up
SERVING = re.compile(r"serving on [^\s:]+:(\d+) in \w+ mode")
WATCHING = re.compile(r"watch (poll|sweep|drain)")
FIRE = Path(__file__).resolve().parent / "burst_fire.py"
USERS = ("U0001", "U0002", "U0003", "U0004", "U0005")


async def start_simulator() -> tuple[asyncio.subprocess.Process, str, str]:
    """Start `aihc-bot simulator` on a free port, clock frozen, empty; return it, URL, token."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "simulator", "--port", "0", "--clock-speed", "0",
        "--scenario", "empty", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert process.stdout is not None
    url, token = await asyncio.wait_for(read_banner(process.stdout), 60)
    return process, url, token


def logged(log: Path) -> str:
    """Return what the bot has written to its log so far (small: read at once)."""
    return log.read_text(errors="replace") if log.exists() else ""


async def start_bot(env: dict[str, str], log: Path) -> tuple[asyncio.subprocess.Process, str]:
    """Start `aihc-bot serve`; wait until it logs the port it bound; return it and its URL."""
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", env=env, stdout=out, stderr=out
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = SERVING.search(logged(log))
        if found:
            return process, f"http://127.0.0.1:{found.group(1)}"
        if process.returncode is not None:
            raise RuntimeError(f"serve exited:\n{logged(log)[-3000:]}")
        await asyncio.sleep(0.1)
    raise TimeoutError(f"serve did not listen:\n{logged(log)[-3000:]}")


def commands(count: int, pools: list[str], jobs: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Return (user, text) of `count` commands: reads people run, over every pool."""
    made: list[tuple[str, str]] = []
    for index in range(count):
        pool = pools[index % len(pools)]
        job = jobs[pool][(index * 7) % len(jobs[pool])]
        texts = [
            "pools", f"queues --pool {pool}", f"jobs --pool {pool}",
            f"job show {job} --pool {pool}", f"job events {job} --pool {pool}",
            f"job logs {job} --pool {pool}", "subscriptions", "help",
        ]  # fmt: skip
        made.append((USERS[index % len(USERS)], texts[index % len(texts)]))
    return made


async def prepare(
    sender: SlackSender, slack: FakeSlack, batch: list[tuple[str, str]], keys: list[str]
) -> list[dict[str, str | dict[str, str]]]:
    """Return each command as the signed headers and body Slack would post (nothing sent)."""
    prepared: list[dict[str, str | dict[str, str]]] = []

    def capture(request: httpx.Request) -> httpx.Response:
        headers = {k: request.headers[k] for k in ("content-type", "x-slack-request-timestamp",
                                                    "x-slack-signature")}  # fmt: skip
        prepared.append({"headers": headers, "body": request.content.decode()})
        return httpx.Response(200)

    async with SlackSender(sender.events_url, SIGNING_SECRET,
                           transport=httpx.MockTransport(capture)) as recorder:  # fmt: skip
        for key, (user, text) in zip(keys, batch, strict=True):
            url = slack.response_url(key, user=user)
            await recorder.slash_command(text, user_id=user, response_url=url)
    return prepared


async def burst(
    sender: SlackSender, slack: FakeSlack, batch: list[tuple[str, str]], round_no: int
) -> tuple[list[float], float]:
    """Send a batch at once; return each ack's seconds and the seconds until every answer.

    The requests are signed beforehand and sent by `burst_fire.py`, a process of its own: the
    times are the bot's, not this process's (its fake Slack is busy taking the bot's answers).
    """
    keys = [f"B{round_no}-{i}" for i in range(len(batch))]
    order = {"url": sender.events_url, "requests": await prepare(sender, slack, batch, keys)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(FIRE), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    started = time.perf_counter()
    out, _ = await process.communicate(json.dumps(order).encode())
    timed = json.loads(out)
    assert all(status == 200 for status, _ in timed), [status for status, _ in timed]
    await slack.wait_for(
        lambda: all(slack.responses(k) for k in keys), timeout=600, what="every answer"
    )
    return [seconds for _, seconds in timed], time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def wait_for_watching(log: Path) -> None:
    """Wait until the watcher has logged work (its first sweeps and polls)."""
    deadline = time.monotonic() + 300
    while not WATCHING.search(logged(log)):
        if time.monotonic() > deadline:
            raise TimeoutError("the watcher never worked")
        await asyncio.sleep(0.5)


async def run(args: argparse.Namespace) -> None:
    """Set the world and the bot up, run the rounds, print the figures."""
    process, url, token = await start_simulator()
    bot: asyncio.subprocess.Process | None = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            database = f"sqlite+aiosqlite:///{Path(tmp) / 'bot.db'}"
            async with (
                httpx.AsyncClient(
                    base_url=url, headers={CONTROL_TOKEN_HEADER: token}, timeout=300
                ) as sim,
                FakeSlack() as slack,
            ):
                pools = await populate(sim, slack, args.pools, args.jobs)
                await upgrade_in_thread(database)
                store = Store.from_url(database)
                fast = Limits(rate_per_second=10_000, burst=10_000)
                secret = SecretStr(DEFAULT_SECRET_KEY)
                async with AihcClient(url, DEFAULT_ACCESS_KEY, secret, limits=fast) as aihc:
                    names = {p: [j.name for j in await aihc.all_jobs(p)] for p in pools}
                    jobs = {} if args.no_watch else await seed(store, aihc, pools, "job")
                await store.dispose()
                env = {
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                    "PYTHONUNBUFFERED": "1",
                    "SLACK_BOT_TOKEN": slack.token,
                    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": slack.api_url,
                    "BOT_MODE": "http",
                    "AIHC_ENDPOINT": url,
                    "AIHC_ACCESS_KEY": DEFAULT_ACCESS_KEY,
                    "AIHC_SECRET_KEY": DEFAULT_SECRET_KEY,
                    "DATABASE_URL": database,
                    "BOT_HOST": "127.0.0.1",
                    "BOT_PORT": "0",
                    "BOT_POLL_INTERVAL": str(args.interval),
                }
                log = Path(tmp) / "serve.log"
                bot, bot_url = await start_bot(env, log)
                if not args.no_watch:
                    await wait_for_watching(log)
                watched = sum(len(ids) for ids in jobs.values())
                batch = commands(args.commands, pools, names)
                async with SlackSender(f"{bot_url}/slack/events", SIGNING_SECRET, timeout=60) as s:
                    for round_no in range(1, args.rounds + 1):
                        await report_round(sim, s, slack, batch, round_no, watched, args)
    finally:
        if bot is not None and bot.returncode is None:
            bot.terminate()
            await bot.wait()
        process.terminate()
        await process.wait()


async def report_round(
    sim: httpx.AsyncClient,
    sender: SlackSender,
    slack: FakeSlack,
    batch: list[tuple[str, str]],
    round_no: int,
    watched: int,
    args: argparse.Namespace,
) -> None:
    """Run one round and print its line."""
    await sim.post("/_sim/stats/reset", json={})
    acks, answered = await burst(sender, slack, batch, round_no)
    stats: dict[str, Any] = (await sim.get("/_sim/stats")).json()
    ms = [a * 1000 for a in acks]
    whose = "the commands' and the watcher's" if watched else "the commands' alone"
    print(
        f"round {round_no}: {len(batch)} commands at once, {watched} jobs watched "
        f"(interval {args.interval:g} s): ack p50 {statistics.median(ms):.0f} ms, "
        f"p99 {percentile(ms, 0.99):.0f} ms, max {max(ms):.0f} ms; every answer in "
        f"{answered:.1f} s; {stats['total']} AIHC calls meanwhile ({whose}): "
        f"{stats['operations']}",
        flush=True,
    )


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--pools", type=int, default=10)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--no-watch", action="store_true", help="subscribe nothing: the commands alone, to compare"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
