"""`aihc-bot serve`: migrate, then run the Slack listeners and the HTTP server until SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from aiohttp import web
from pydantic import SecretStr
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from sqlalchemy import Connection

from bot.inflight import InFlight
from bot.logs import configure_logging, secrets_of
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, SettingsError, load_settings
from bot.signals import stop_on_signals
from bot.store.errors import DatabaseUnreachable
from bot.store.migrate import upgrade_in_thread
from bot.store.reach import wait_for_database
from bot.web import Check, build_web_app, start_web

logger = logging.getLogger(__name__)
# Under Kubernetes' default 30 s between SIGTERM and SIGKILL.
SHUTDOWN_GRACE_SECONDS = 20.0


def run_serve(args: argparse.Namespace) -> int:
    """Serve until SIGTERM or SIGINT; a bad setting stops the start with one line."""
    try:
        settings = load_settings()
        settings.require_serving()
        configure_logging(settings.bot_log_format, secrets=secrets_of(settings))
        return asyncio.run(serve(settings))
    except (SettingsError, DatabaseUnreachable) as error:
        sys.stderr.write(f"aihc-bot serve: {error}\n")
        return 2


def readiness_checks(runtime: Runtime) -> dict[str, Check]:
    """Return the dependencies `/readyz` probes: the database and AIHC."""

    async def database() -> None:
        # Checked out but never begun: a transaction would begin IMMEDIATE on SQLite and queue
        # behind (or hold up) the bot's writers, just to say the database answers.
        async with runtime.store.engine.connect() as connection:
            await connection.run_sync(_read_schema_version)

    async def aihc() -> None:
        await runtime.aihc_interactive.list_pools(page_size=1)

    return {"database": database, "aihc": aihc}


def _read_schema_version(connection: Connection) -> None:
    """Read the migration version on the driver's own connection, outside any transaction."""
    # On SQLite the driver runs in autocommit (bot/store/engine.py), so this read takes no lock
    # a writer waits on; PostgreSQL readers never block writers.
    cursor = connection.connection.cursor()
    try:
        cursor.execute("SELECT version_num FROM alembic_version")
        cursor.fetchall()
    finally:
        cursor.close()


async def serve(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    started: asyncio.Future[int] | None = None,
) -> int:
    """Run the bot until `stop` is set (or a signal arrives); report the bound port to `started`."""
    database_url = settings.database_url.get_secret_value()
    await wait_for_database(database_url, within=settings.database_wait_seconds)
    await upgrade_in_thread(database_url)
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
        try:
            socket_handler = await _socket_mode_handler(runtime, settings.slack_app_token)
        except SettingsError:
            await runner.cleanup()
            await runtime.aclose()
            raise
        await socket_handler.connect_async()  # type: ignore[no-untyped-call]
    if runtime.watcher is not None:
        runtime.watcher.start()
    logger.info("serving on %s:%d in %s mode", settings.bot_host, port, settings.transport)
    if started is not None:
        started.set_result(port)
    try:
        with stop_on_signals(stop or asyncio.Event()) as stopping:
            await stopping.wait()
    finally:
        await _shutdown(runtime, runner, socket_handler, runtime.inflight)
    return 0


async def _socket_mode_handler(runtime: Runtime, app_token: SecretStr) -> AsyncSocketModeHandler:
    """Get the first connection URL here: slack_sdk retries a refused app token forever."""
    token = app_token.get_secret_value()
    try:
        opened = await runtime.slack_app.client.apps_connections_open(app_token=token)
    except SlackApiError as error:
        raise SettingsError(f"SLACK_APP_TOKEN: Slack said {error.response.get('error')}") from None
    handler = AsyncSocketModeHandler(runtime.slack_app, token)
    handler.client.wss_uri = str(opened["url"])
    return handler


async def _shutdown(
    runtime: Runtime,
    runner: web.AppRunner,
    socket_handler: AsyncSocketModeHandler | None,
    inflight: InFlight,
) -> None:
    """Stop taking requests, let the ones in flight finish, then close connections."""
    logger.info("shutting down")
    if runtime.watcher is not None:
        await runtime.watcher.stop()
    if socket_handler is not None:
        await socket_handler.close_async()  # type: ignore[no-untyped-call]
    await runner.cleanup()
    # The work behind each ack runs in tasks of its own; the connections it uses close last.
    if not await inflight.drained(SHUTDOWN_GRACE_SECONDS):
        logger.warning("stopped waiting for %d command(s) in flight", inflight.running)
    await runtime.aclose()
