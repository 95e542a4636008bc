"""Running the simulator on a socket: for the CLI, the tests and the benchmarks."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from aiohttp import web
from aiohttp.typedefs import Middleware

from bot.signals import stop_on_signals
from bot.simulator.app import build_app
from bot.simulator.control import CONTROL_TOKEN_HEADER
from bot.simulator.routes_pools import SIM
from bot.simulator.state import DEFAULT_SECRET_KEY, SimConfig, Simulator

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Running:
    """A simulator that is serving: its base URL and its state."""

    url: str
    simulator: Simulator

    @property
    def control_headers(self) -> dict[str, str]:
        """Return the header that control API writes need: this run's token."""
        return {CONTROL_TOKEN_HEADER: self.simulator.control_token}

    def control_client(self, *, timeout: float = 30) -> httpx.AsyncClient:
        """Return an HTTP client for the control API, its token already set (close it)."""
        return httpx.AsyncClient(base_url=self.url, headers=self.control_headers, timeout=timeout)


@asynccontextmanager
async def serve(
    config: SimConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    outer: Sequence[Middleware] = (),
) -> AsyncIterator[Running]:
    """Serve a simulator on `host:port` (port 0 picks a free one) until the block ends.

    `outer` middlewares see every request before the simulator does (tests record requests).
    """
    app = build_app(config, outer=outer)
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


def banner(running: Running, config: SimConfig) -> str:
    """Return what `aihc-bot simulator` prints once it listens (`read_banner` reads it back)."""
    # Only the documented default secret is shown; one given on the command line stays unsaid.
    secret = config.secret_key if config.secret_key == DEFAULT_SECRET_KEY else "(as given)"
    return (
        f"AIHC simulator on {running.url} (scenario {config.scenario}, seed {config.seed})\n"
        f"  access key {config.access_key}  secret key {secret}\n"
        f"  control token {running.simulator.control_token}"
        f"  (send it as {CONTROL_TOKEN_HEADER} on /_sim/ writes)\n"
    )


async def read_banner(stdout: asyncio.StreamReader) -> tuple[str, str]:
    """Read the banner of an `aihc-bot simulator` process; return its URL and control token."""
    lines = [(await stdout.readline()).decode() for _ in range(3)]
    if " on http" not in lines[0] or "control token " not in lines[2]:
        raise RuntimeError(f"the simulator did not start: {''.join(lines)!r}")
    url = lines[0].split(" on ", 1)[1].split()[0]
    return url, lines[2].split("control token ", 1)[1].split()[0]


async def run_forever(config: SimConfig, *, host: str, port: int) -> None:
    """Serve until SIGTERM or SIGINT."""
    with stop_on_signals(asyncio.Event()) as stop:
        async with serve(config, host=host, port=port) as running:
            log.info("simulator listening on %s", running.url)
            sys.stdout.write(banner(running, config))
            sys.stdout.flush()
            await stop.wait()
