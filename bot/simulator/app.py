"""The aiohttp application: v1 and v2 routes behind faults, stats and bce-auth-v1; control."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import uuid
from collections.abc import Sequence

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.simulator import (
    control,
    routes_details,
    routes_jobs,
    routes_pools,
    routes_queues,
    routes_v2_actions,
)
from bot.simulator.auth import verify
from bot.simulator.errors import ApiError
from bot.simulator.faults import DropConnection, inject
from bot.simulator.params import REQUEST_ID, error_response
from bot.simulator.routes_pools import SIM
from bot.simulator.state import SimConfig, Simulator

log = logging.getLogger(__name__)
_HTTP_CODES = {404: "InvalidURI", 405: "MethodNotAllowed"}
CLIENT_MAX_SIZE = 16 << 20
"""Largest request body: room for a few megabyte log lines appended through the control API."""


def _is_api(path: str) -> bool:
    # v1 lives under /api/, v2 on / alone; whichever is not served answers 404 in BCE's shape.
    return path.startswith("/api/") or path == "/"


def _operation(request: web.Request) -> str:
    if request.path == "/":
        return routes_v2_actions.operation_name(request)
    route = request.match_info.route
    return route.name or "unknown"


def _drop(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()


async def _answer_v1(request: web.Request, handler: Handler) -> web.StreamResponse:
    sim = request.app[SIM]
    try:
        drop_answer = await inject(sim.faults_for_call(), sim.fault_rng)
        verify(request, sim.credentials, sim.config.wall_clock)
        response = await handler(request)
    except ApiError as error:
        return error_response(error, request[REQUEST_ID])
    except DropConnection:
        raise  # an injected fault, not a simulator bug: the caller drops the connection
    except web.HTTPException as exc:
        code = _HTTP_CODES.get(exc.status, "InvalidHTTPRequest")
        return error_response(ApiError(exc.status, code, exc.reason), request[REQUEST_ID])
    except Exception:
        # A simulator bug must still look like a BCE failure to the client under test.
        log.exception("simulator error on %s %s", request.method, request.path)
        internal = ApiError(
            500, "InternalError", "We encountered an internal error. Please try again."
        )
        return error_response(internal, request[REQUEST_ID])
    if drop_answer:
        raise DropConnection
    return response


@web.middleware
async def v1_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count, fault, authenticate and answer v1 and v2 calls in BCE style; pass others through."""
    if not _is_api(request.path):
        return await handler(request)
    sim = request.app[SIM]
    # Request ids are not world content: they may differ between runs of one seed.
    request[REQUEST_ID] = str(uuid.uuid4())
    operation = _operation(request)
    try:
        response = await _answer_v1(request, handler)
    except DropConnection:
        sim.stats.record(operation, "dropped")
        _drop(request)
        # aiohttp closes a connection quietly when its handler is cancelled; an exception of our
        # own would be logged as a server error on every injected drop.
        raise asyncio.CancelledError from None
    sim.stats.record(operation, str(response.status))
    response.headers["x-bce-request-id"] = request[REQUEST_ID]
    return response


def _is_loopback(remote: str | None) -> bool:
    try:
        return remote is not None and ipaddress.ip_address(remote).is_loopback
    except ValueError:
        return False


@web.middleware
async def control_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse control calls from other machines and writes without the token or a JSON body."""
    if not request.path.startswith("/_sim/"):
        return await handler(request)
    sim = request.app[SIM]
    if not sim.config.allow_remote_control and not _is_loopback(request.remote):
        return web.json_response({"code": "AccessDenied", "message": "loopback only"}, status=403)
    try:
        control.check_write(request)
        return await handler(request)
    except ApiError as error:
        body = {"code": error.code, "message": error.message}
        return web.json_response(body, status=error.status)


def build_app(
    config: SimConfig | None = None, *, outer: Sequence[Middleware] = ()
) -> web.Application:
    """Build the simulator's aiohttp application; `outer` middlewares see every request first."""
    app = web.Application(
        middlewares=[*outer, control_middleware, v1_middleware], client_max_size=CLIENT_MAX_SIZE
    )
    sim = app[SIM] = Simulator(config or SimConfig())
    if sim.config.api in ("v1", "both"):
        for module in (routes_pools, routes_queues, routes_jobs, routes_details):
            module.register(app)
    if sim.config.api in ("v2", "both"):
        routes_v2_actions.register(app)
    control.register(app)
    return app
