"""Run the demo: simulator (demo world, real-time clock), local workspace and bot, on loopback."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import secrets
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.logs import configure_logging
from bot.serve import serve
from bot.settings import Settings, SettingsError, load_log_settings, load_settings
from bot.signals import stop_on_signals
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running, SimConfig
from bot.simulator import serve as serve_simulator
from bot.workspace.web import LocalWorkspace
from bot.workspace.web.workspace import ALICE, WANG

HOST = "127.0.0.1"
DEFAULT_POOL = "llm-a800-pool"
POLL_SECONDS = 5.0


@dataclass(frozen=True)
class DemoOptions:
    """Where the demo listens, which world it starts with, and where its database lives."""

    data_dir: Path
    port: int = 0
    bot_port: int = 0
    simulator_port: int = 0
    seed: int = 0
    clock_speed: float = 1.0
    poll_interval: float = POLL_SECONDS
    database_url: str | None = None
    """Where the bot's store lives; a SQLite file in `data_dir` when None."""


@dataclass(frozen=True)
class Demo:
    """A running demo: the page's URL, the bot's, the simulator and the workspace."""

    url: str
    bot_url: str
    simulator: Running
    workspace: LocalWorkspace
    bot: asyncio.Task[int]


def demo_settings(
    options: DemoOptions, *, slack_api_url: str, bot_token: str, secret: str, simulator_url: str
) -> Settings:
    """Return the bot's settings: HTTP mode against the workspace, alice as admin."""
    database = options.database_url or f"sqlite+aiosqlite:///{options.data_dir / 'aihc-bot.db'}"
    return load_settings(
        slack_bot_token=bot_token,
        slack_app_token=None,
        slack_signing_secret=secret,
        slack_api_url=slack_api_url,
        bot_mode="http",
        bot_host=HOST,
        bot_port=options.bot_port,
        aihc_endpoint=simulator_url,
        aihc_access_key=DEFAULT_ACCESS_KEY,
        aihc_secret_key=DEFAULT_SECRET_KEY,
        aihc_default_pool=DEFAULT_POOL,
        database_url=database,
        bot_admins=ALICE,
        bot_poll_interval=options.poll_interval,
    )


async def _start_bot(
    stack: AsyncExitStack, settings: Settings, stop: asyncio.Event
) -> tuple[asyncio.Task[int], int]:
    """Start `serve` in a task; return it and the port it bound, or raise what stopped it."""
    started: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, stop=stop, started=started), name="aihc-bot")

    async def finish() -> None:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    stack.push_async_callback(finish)
    await asyncio.wait({task, started}, return_when=asyncio.FIRST_COMPLETED)
    if not started.done():
        task.result()  # raises what stopped the bot
        raise RuntimeError("the bot stopped before it served")
    return task, started.result()


@asynccontextmanager
async def running_demo(options: DemoOptions, stop: asyncio.Event) -> AsyncIterator[Demo]:
    """Start the simulator, the workspace and the bot; stop them all when the block ends."""
    async with AsyncExitStack() as stack:
        config = SimConfig(seed=options.seed, scenario="demo", clock_speed=options.clock_speed)
        simulator = await stack.enter_async_context(
            serve_simulator(config, host=HOST, port=options.simulator_port)
        )
        workspace = LocalWorkspace()
        stack.push_async_callback(workspace.stop)
        await workspace.start(HOST, options.port)
        secret = secrets.token_hex(32)  # a new one every run
        settings = demo_settings(
            options,
            slack_api_url=workspace.fake.api_url,
            bot_token=workspace.fake.token,
            secret=secret,
            simulator_url=simulator.url,
        )
        bot, port = await _start_bot(stack, settings, stop)
        bot_url = f"http://{HOST}:{port}"
        workspace.connect(f"{bot_url}/slack/events", secret)
        yield Demo(workspace.url, bot_url, simulator, workspace, bot)


def banner(running: Demo, seed: int) -> str:
    """Return what the demo prints once everything answers."""
    return (
        f"aihc-bot demo: open {running.url} in a browser\n"
        f"  local workspace  {running.url}  (#general, #training; alice and wang)\n"
        f"  you are          alice ({ALICE}), an admin; wang ({WANG}) reads in 中文\n"
        f"  bot              {running.bot_url}  (/slack/events, /healthz, /metrics)\n"
        f"  AIHC simulator   {running.simulator.url}  (demo world, seed {seed}, real time)\n"
        f"  control token    {running.simulator.simulator.control_token}"
        "  (X-Sim-Token on the simulator's /_sim/ writes)\n"
        "  try              /aihc jobs · /aihc job <name> · /aihc pools · /aihc help\n"
        "Press Ctrl-C to stop.\n"
    )


async def demo(options: DemoOptions) -> int:
    """Run the demo until SIGINT or SIGTERM."""
    with stop_on_signals(asyncio.Event()) as stop:
        return await _demo_until(options, stop)


async def _demo_until(options: DemoOptions, stop: asyncio.Event) -> int:
    async with running_demo(options, stop) as running:
        sys.stdout.write(banner(running, options.seed))
        sys.stdout.flush()
        stopping = asyncio.create_task(stop.wait())
        # A signal stops the demo; so does the bot ending on its own (it failed), with its error.
        await asyncio.wait({stopping, running.bot}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
    sys.stdout.write("aihc-bot demo: stopped\n")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """Run `aihc-bot demo` with a fresh database in a temporary folder removed at the end."""
    try:
        log_format = load_log_settings().bot_log_format
    except SettingsError as error:
        sys.stderr.write(f"aihc-bot demo: {error}\n")
        return 2
    configure_logging(log_format, level=logging.INFO if args.verbose else logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="aihc-bot-demo-") as data:
        options = DemoOptions(
            data_dir=Path(data),
            port=args.port,
            bot_port=args.bot_port,
            simulator_port=args.simulator_port,
            seed=args.seed,
        )
        try:
            return asyncio.run(demo(options))
        except SettingsError as error:
            sys.stderr.write(f"aihc-bot demo: {error}\n")
            return 2
        except OSError as error:
            sys.stderr.write(f"aihc-bot demo: cannot listen: {error}\n")
            return 1
