"""The bot's own HTTP server: `/slack/events` (HTTP mode), `/healthz`, `/readyz`, `/metrics`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import parse_qsl

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.observability import BotMetrics

logger = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]
READY_TIMEOUT_SECONDS = 3.0
READY_CACHE_SECONDS = 5.0
"""How long one readiness report answers every probe: probes cost one check per period at most."""
MAX_BODY_BYTES = 1 << 20


class Readiness:
    """Run the checks at most once per `ttl` seconds; probes meanwhile share the latest report.

    A probe is anybody's GET: without this, each one cost an AIHC call through the rate limit
    the bot's own work shares, and a database round trip.
    """

    def __init__(
        self,
        checks: Mapping[str, Check],
        *,
        ttl: float = READY_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._checks = checks
        self._ttl = ttl
        self._clock = clock
        self._latest: tuple[float, dict[str, str]] | None = None
        self._running: asyncio.Task[dict[str, str]] | None = None

    async def report(self) -> dict[str, str]:
        """Return each check's result, at most `ttl` old; concurrent probes share one run."""
        if self._latest is not None and self._clock() - self._latest[0] < self._ttl:
            return self._latest[1]
        if self._running is None:
            self._running = asyncio.create_task(self._check())
        # Shielded: a probe that hangs up must not cancel the run other probes are waiting on.
        return await asyncio.shield(self._running)

    async def aclose(self) -> None:
        """Wait for a run in progress, so none outlives the server."""
        if self._running is not None:
            await asyncio.wait([self._running])

    async def _check(self) -> dict[str, str]:
        try:
            results = await asyncio.gather(*(_run_check(c) for c in self._checks.values()))
            report = dict(zip(self._checks, results, strict=True))
            self._latest = (self._clock(), report)
            return report
        finally:
            self._running = None


def build_web_app(
    *,
    slack_app: AsyncApp | None,
    metrics: BotMetrics,
    checks: Mapping[str, Check],
    ready_ttl: float = READY_CACHE_SECONDS,
) -> web.Application:
    """Build the aiohttp application; `/slack/events` exists only when Slack posts to us."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    readiness = Readiness(checks, ttl=ready_ttl)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        report = await readiness.report()
        ready = all(result == "ok" for result in report.values())
        return web.json_response(report, status=200 if ready else 503)

    async def finish_readiness(_: web.Application) -> None:
        await readiness.aclose()

    async def prometheus(_: web.Request) -> web.Response:
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app.on_cleanup.append(finish_readiness)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", prometheus)
    if slack_app is not None:
        app.router.add_post("/slack/events", _slack_events(slack_app))
    return app


def _slack_events(slack_app: AsyncApp) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def slack_events(request: web.Request) -> web.StreamResponse:
        bolt_request = _read_form_whole(await to_bolt_request(request))
        bolt_response = await slack_app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return slack_events


def _read_form_whole(request: AsyncBoltRequest) -> AsyncBoltRequest:
    """Give back the fields of a form body Bolt read as empty because it holds "payload".

    Bolt 1.30 (`slack_bolt/request/internals.py`, `parse_body`) takes any form body containing
    the letters "payload" for an interaction and, finding no `payload` field, reads it as `{}`:
    `/aihc job show payload-encoder-1` then matched no listener and Slack showed a 404. The raw
    body, which the signature check reads, is left untouched.
    """
    if request.body or request.content_type != "application/x-www-form-urlencoded":
        return request
    fields = dict(parse_qsl(request.raw_body, keep_blank_values=True))
    if "payload" in fields:
        return request
    request.body = fields
    request.context = build_async_context(AsyncBoltContext(), fields)
    return request


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
