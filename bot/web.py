"""The bot's own HTTP server: `/slack/events` (HTTP mode), `/healthz`, `/readyz`, `/metrics`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.observability import BotMetrics

logger = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]
READY_TIMEOUT_SECONDS = 3.0
MAX_BODY_BYTES = 1 << 20


def build_web_app(
    *, slack_app: AsyncApp | None, metrics: BotMetrics, checks: Mapping[str, Check]
) -> web.Application:
    """Build the aiohttp application; `/slack/events` exists only when Slack posts to us."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        results = await asyncio.gather(*(_run_check(check) for check in checks.values()))
        report = dict(zip(checks, results, strict=True))
        ready = all(result == "ok" for result in results)
        return web.json_response(report, status=200 if ready else 503)

    async def prometheus(_: web.Request) -> web.Response:
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", prometheus)
    if slack_app is not None:
        app.router.add_post("/slack/events", _slack_events(slack_app))
    return app


def _slack_events(slack_app: AsyncApp) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def slack_events(request: web.Request) -> web.StreamResponse:
        bolt_response = await slack_app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    return slack_events


async def _run_check(check: Check) -> str:
    try:
        await asyncio.wait_for(check(), READY_TIMEOUT_SECONDS)
    except TimeoutError:
        return "timeout"
    except Exception as error:  # a failed dependency is the answer here, not a crash
        logger.info("readiness check failed", extra={"error": type(error).__name__})
        return f"failed: {type(error).__name__}"
    return "ok"


async def start_web(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Start serving and return the runner and the port bound (port 0 picks a free one)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server  # aiohttp exposes the bound sockets only here
    sockets = getattr(server, "sockets", None) or []
    bound = sockets[0].getsockname()[1] if sockets else port
    return runner, int(bound)
