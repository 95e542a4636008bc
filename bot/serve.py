"""`aihc-bot serve`: migrate, then run the Slack listeners and the HTTP server until SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from sqlalchemy import text

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, SettingsError, load_settings
from bot.store.migrate import upgrade_in_thread
from bot.web import Check, build_web_app, start_web

logger = logging.getLogger(__name__)


def run_serve(args: argparse.Namespace) -> int:
    """Serve until SIGTERM or SIGINT; a bad setting stops the start with one line."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = load_settings()
        settings.require_serving()
    except SettingsError as error:
        sys.stderr.write(f"aihc-bot serve: {error}\n")
        return 2
    return asyncio.run(serve(settings))


def readiness_checks(runtime: Runtime) -> dict[str, Check]:
    """Return the dependencies `/readyz` probes: the database and AIHC."""

    async def database() -> None:
        async with runtime.store.transaction() as uow:
            await uow.session.execute(text("SELECT 1"))

    async def aihc() -> None:
        await runtime.aihc.list_pools(page_size=1)

    return {"database": database, "aihc": aihc}


async def serve(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    started: asyncio.Future[int] | None = None,
) -> int:
    """Run the bot until `stop` is set (or a signal arrives); report the bound port to `started`."""
    await upgrade_in_thread(settings.database_url.get_secret_value())
    runtime = build_runtime(settings)
    socket_mode = settings.transport == "socket"
    web_app = build_web_app(
        slack_app=None if socket_mode else runtime.slack_app,
        metrics=runtime.metrics,
        checks=readiness_checks(runtime),
    )
    runner, port = await start_web(web_app, settings.bot_host, settings.bot_port)
    socket_handler = None
    if socket_mode and settings.slack_app_token is not None:
        socket_handler = AsyncSocketModeHandler(
            runtime.slack_app, settings.slack_app_token.get_secret_value()
        )
        await socket_handler.connect_async()  # type: ignore[no-untyped-call]
    stop = stop or asyncio.Event()
    _on_signals(stop)
    logger.info("serving", extra={"port": port, "mode": settings.transport})
    if started is not None:
        started.set_result(port)
    try:
        await stop.wait()
    finally:
        await _shutdown(runtime, runner, socket_handler)
    return 0


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)


async def _shutdown(
    runtime: Runtime, runner: web.AppRunner, socket_handler: AsyncSocketModeHandler | None
) -> None:
    """Stop taking requests, let the ones in flight finish, then close connections."""
    logger.info("shutting down")
    if socket_handler is not None:
        await socket_handler.close_async()  # type: ignore[no-untyped-call]
    await runner.cleanup()
    await runtime.aclose()
