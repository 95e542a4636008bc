"""Hostile logs: the event loop's largest stall and slash-command acks while a job prints junk.

Run by hand: `.venv/bin/python bench/hostile_logs.py [--seconds 30] [--every 1]`.
The simulator runs as its own process (`aihc-bot simulator`, real-time clock); the bot runs here
in HTTP mode with its watcher started, talking to an in-process fake Slack. A channel follows the
status and logs of a running job. Every `--every` seconds the job prints, through the control API,
a 1 MB line of `NCCL node ` (quadratic for a backtracking regex), a tqdm bar of thousands of `\\r`
redraws, and a few ordinary lines. Meanwhile signed slash commands (`job logs <job>`, which reads
the same log, and `help`) arrive over HTTP, `--rate` a second, each timed to its HTTP 200; a
loop-lag probe (a task that sleeps 10 ms and records how late it wakes) runs in the bot's loop.
At the end the job is failed and the probe keeps running until the failure notice with its likely
cause is in Slack. DESIGN §7: no stall over 100 ms; slash-command ack p99 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bot.runtime import Runtime, build_runtime
from bot.serve import readiness_checks
from bot.settings import load_settings
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY
from bot.simulator.control import CONTROL_TOKEN_HEADER
from bot.simulator.server import read_banner
from bot.store.migrate import upgrade_in_thread
from bot.web import build_web_app, start_web
from bot.workspace import FakeSlack, SlackSender

SECRET = "bench-signing-secret-0123456789abcdef"  # noqa: S105 - a loopback test secret
USER = "U0001"
CHANNEL = "C0001"
JOB = "llama2-13b-pretrain-7"
PROBE_SECONDS = 0.010
MEGABYTE_LINE = "NCCL node " * 100_000
TQDM_BAR = "\r".join(f"{i * 100 // 5000:3d}%|{'█' * (i // 500):<10}| {i}/5000" for i in range(5001))


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_simulator(port: int) -> tuple[asyncio.subprocess.Process, str]:
    """Start `aihc-bot simulator` with a real-time clock; return it and its control token."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "simulator", "--port", str(port), "--clock-speed", "1",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        _, token = await asyncio.wait_for(read_banner(process.stdout), 60)
    except (RuntimeError, TimeoutError):
        process.kill()
        raise
    return process, token


class LagProbe:
    """Sleep 10 ms again and again and record how late each wake-up is.

    Beside each lag it records the CPU time the loop's thread used meanwhile: a long lag with
    little CPU is the machine (other processes, the GIL), not work done on the loop.
    """

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.cpu: list[float] = []

    async def run(self) -> None:
        """Probe until cancelled."""
        loop = asyncio.get_running_loop()
        while True:
            started, cpu = loop.time(), time.thread_time()
            await asyncio.sleep(PROBE_SECONDS)
            self.lags.append(loop.time() - started - PROBE_SECONDS)
            self.cpu.append(time.thread_time() - cpu)

    def worst(self) -> str:
        """Describe the largest lag and the most CPU the loop spent between two wake-ups."""
        at = max(range(len(self.lags)), key=self.lags.__getitem__)
        return (
            f"largest stall {self.lags[at] * 1000:.0f} ms (loop CPU in it "
            f"{self.cpu[at] * 1000:.0f} ms); most loop CPU between two wake-ups "
            f"{max(self.cpu) * 1000:.0f} ms"
        )


async def print_junk(sim: httpx.AsyncClient, job_id: str, every: float, stop: asyncio.Event) -> int:
    """Append the hostile lines every `every` seconds; return how many batches were printed."""
    # Encoded once: the driver's own JSON work must not show up as the bot's stall.
    batches = [
        json.dumps({"lines": [f"iteration {n} | lm loss 2.1 | throughput 3600", MEGABYTE_LINE]})
        for n in range(2)
    ] + [json.dumps({"lines": [TQDM_BAR, "epoch done"]})]
    bodies = [body.encode() for body in batches]
    printed = 0
    headers = {"content-type": "application/json"}
    while not stop.is_set():
        for body in bodies:
            response = await sim.post(f"/_sim/jobs/{job_id}/logs", content=body, headers=headers)
            response.raise_for_status()
        printed += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
    return printed


async def send_commands(
    sender: SlackSender, slack: FakeSlack, job_id: str, rate: float, stop: asyncio.Event
) -> list[float]:
    """Send signed slash commands at `rate` a second; return each one's seconds to its 200."""
    acks: list[float] = []
    pending: set[asyncio.Task[None]] = set()
    # By id: naming a job by name lists its pool, which is another benchmark's business.
    texts = itertools.cycle([f"job logs {job_id} --tail 200", "help", f"job logs {job_id}"])
    keys = itertools.count(1)

    async def one(text: str) -> None:
        url = slack.response_url(f"B{next(keys):06d}", channel=CHANNEL, user=USER)
        started = time.perf_counter()
        response = await sender.slash_command(
            text, user_id=USER, channel_id=CHANNEL, response_url=url
        )
        acks.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text

    while not stop.is_set():
        task = asyncio.create_task(one(next(texts)))
        pending.add(task)
        task.add_done_callback(pending.discard)
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*pending)
    return acks


async def wait_for(predicate: Callable[[], object], seconds: float, what: str) -> None:
    """Wait until `predicate` holds, polling; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {seconds:g} s for {what}")
        await asyncio.sleep(0.1)


def replies(slack: FakeSlack) -> list[str]:
    """Return the text of every reply in the channel's threads."""
    return [
        reply.text + json.dumps(reply.blocks, ensure_ascii=False)
        for message in slack.messages(CHANNEL)
        for reply in slack.thread(CHANNEL, message.ts)
    ]


async def fail_job(sim: httpx.AsyncClient, slack: FakeSlack, job_id: str) -> float:
    """Fail the job; return the seconds until its failure notice names the likely cause."""
    started = time.perf_counter()
    await sim.post(f"/_sim/jobs/{job_id}/status", json={"status": "Failed", "reason": "cuda_oom"})
    await wait_for(
        lambda: any("lower the batch size" in reply for reply in replies(slack)),
        60,
        "the failure notice with its cause",
    )
    return time.perf_counter() - started


async def start_bot(sim_url: str, slack: FakeSlack, tmp: Path, interval: float) -> Runtime:
    """Build the bot as `aihc-bot serve` would, in HTTP mode; return its runtime."""
    database = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    settings = load_settings(
        slack_bot_token=slack.token,
        slack_signing_secret=SECRET,
        slack_api_url=slack.api_url,
        bot_mode="http",
        aihc_endpoint=sim_url,
        aihc_access_key=DEFAULT_ACCESS_KEY,
        aihc_secret_key=DEFAULT_SECRET_KEY,
        aihc_default_pool="llm-a800-pool",
        database_url=database,
        bot_admins=USER,
        bot_poll_interval=interval,
    )
    await upgrade_in_thread(database)
    return build_runtime(settings)


async def find_job(runtime: Runtime, name: str) -> str:
    """Return the id of the job called `name` in any pool."""
    for pool in await runtime.aihc.all_pools():
        for job in await runtime.aihc.all_jobs(pool.id):
            if job.name == name:
                return job.id
    raise LookupError(name)


def summary(name: str, values: list[float]) -> str:
    """Return p50, p99 and max of `values` in milliseconds."""
    ordered = sorted(values)
    p99 = ordered[max(int(len(ordered) * 0.99) - 1, 0)]
    return (
        f"{name}: n={len(ordered)} p50 {statistics.median(ordered) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms"
    )


async def measure(args: argparse.Namespace) -> None:
    """Run the scenario and print the figures."""
    port = free_port()
    process, token = await start_simulator(port)
    sim_url = f"http://127.0.0.1:{port}"
    control = {CONTROL_TOKEN_HEADER: token}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            async with (
                httpx.AsyncClient(base_url=sim_url, headers=control, timeout=60) as sim,
                FakeSlack() as slack,
            ):
                runtime = await start_bot(sim_url, slack, Path(tmp), args.interval)
                await run(args, runtime, slack, sim)
    finally:
        process.terminate()
        await process.wait()


async def run(
    args: argparse.Namespace, runtime: Runtime, slack: FakeSlack, sim: httpx.AsyncClient
) -> None:
    """Serve, follow the job, print junk, send commands, fail the job; print the figures."""
    web = build_web_app(
        slack_app=runtime.slack_app, metrics=runtime.metrics, checks=readiness_checks(runtime)
    )
    runner, port = await start_web(web, "127.0.0.1", 0)
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET)
    assert runtime.watcher is not None
    try:
        job_id = await find_job(runtime, JOB)
        url = slack.response_url("S1", channel=CHANNEL, user=USER)
        await sender.slash_command(
            f"subscribe {JOB} status,logs", user_id=USER, channel_id=CHANNEL, response_url=url
        )
        runtime.watcher.start()
        await wait_for(lambda: slack.messages(CHANNEL), 30, "the status card")
        probe = LagProbe()
        probing = asyncio.create_task(probe.run())
        stop = asyncio.Event()
        printing = asyncio.create_task(print_junk(sim, job_id, args.every, stop))
        commanding = asyncio.create_task(send_commands(sender, slack, job_id, args.rate, stop))
        await asyncio.sleep(args.seconds)
        stop.set()
        printed, acks = await printing, await commanding
        # Each command goes on working after its ack; let every answer land before stopping.
        await wait_for(
            lambda: len({r.key for r in slack.responses() if r.key.startswith("B")}) >= len(acks),
            120,
            "every command's answer",
        )
        logs = [reply for reply in replies(slack) if "New log lines" in reply]
        cut = sum("more bytes)" in reply for reply in logs)
        to_failure = None if args.skip_failure else await fail_job(sim, slack, job_id)
        probing.cancel()
        await asyncio.gather(probing, return_exceptions=True)
    finally:
        await runtime.watcher.stop()
        await sender.aclose()
        await runner.cleanup()
        await runtime.aclose()
    print(
        f"{args.seconds:g} s, the job printed {printed} times (1 MB line + {len(TQDM_BAR) // 1024}"
        f" KB tqdm bar each), poll interval {args.interval:g} s: {len(logs)} log replies, "
        f"{cut} with cut lines"
    )
    print(summary("event-loop lag (10 ms probe)", probe.lags))
    print(probe.worst())
    print(summary(f"slash-command ack ({args.rate:g}/s)", acks))
    if to_failure is not None:
        print(f"failure notice with the likely cause in Slack {to_failure:.1f} s after the failure")


def main() -> None:
    """Parse the options and measure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between junk batches")
    parser.add_argument("--rate", type=float, default=10.0, help="slash commands per second")
    parser.add_argument("--interval", type=float, default=2.0, help="BOT_POLL_INTERVAL")
    parser.add_argument(
        "--skip-failure", action="store_true", help="end without failing the job (for old code)"
    )
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
