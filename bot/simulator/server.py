"""Running the simulator on a socket: for the CLI, the tests and the benchmarks."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from bot.simulator.app import build_app
from bot.simulator.routes_pools import SIM
from bot.simulator.state import DEFAULT_SECRET_KEY, SimConfig, Simulator

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Running:
    """A simulator that is serving: its base URL and its state."""

    url: str
    simulator: Simulator


@asynccontextmanager
async def serve(
    config: SimConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[Running]:
    """Serve a simulator on `host:port` (port 0 picks a free one) until the block ends."""
    app = build_app(config)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0]
        url_host = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        yield Running(f"http://{url_host}:{bound[1]}", app[SIM])
    finally:
        await runner.cleanup()


async def run_forever(config: SimConfig, *, host: str, port: int) -> None:
    """Serve until cancelled (Ctrl-C)."""
    async with serve(config, host=host, port=port) as running:
        log.info("simulator listening on %s", running.url)
        # Only the documented default secret is shown; one given on the command line stays unsaid.
        secret = config.secret_key if config.secret_key == DEFAULT_SECRET_KEY else "(as given)"
        sys.stdout.write(
            f"AIHC simulator on {running.url} (scenario {config.scenario}, seed {config.seed})\n"
            f"  access key {config.access_key}  secret key {secret}\n"
        )
        sys.stdout.flush()
        await asyncio.Event().wait()
