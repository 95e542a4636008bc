"""The one AIHC API v2 route, `/`: each `action` to its handler, with its method and header."""

from __future__ import annotations

from aiohttp import web

from bot.simulator.errors import ApiError
from bot.simulator.routes_v2 import POOL_ACTIONS, Handler
from bot.simulator.routes_v2_jobs import JOB_ACTIONS

# Pool and queue actions: GET with header `version: v2` (baidubce/services/aihc/base/
# aihc_base_client.py:163-170; Go services/aihc/v2/resourcepool/client.go:34-36). Job actions:
# POST with header `X-API-Version: v2` (aihc_base_client.py:121-128).
_ROUTES: dict[str, tuple[str, str, Handler]] = {
    **{name: ("GET", "version", handler) for name, handler in POOL_ACTIONS.items()},
    **{name: ("POST", "X-API-Version", handler) for name, handler in JOB_ACTIONS.items()},
}
ACTIONS = frozenset(_ROUTES)


def operation_name(request: web.Request) -> str:
    """Name a v2 call for the call counts: `v2:<action>`, unknown actions counted together."""
    action = request.query.get("action", "")
    return f"v2:{action}" if action in ACTIONS else "v2:unknown"


async def dispatch(request: web.Request) -> web.StreamResponse:
    """Answer `/?action=<Name>`, or 400 for an unknown action, 405 for the wrong method."""
    action = request.query.get("action", "")
    if not action:
        raise ApiError(400, "InvalidAction", "the query parameter action is required")
    route = _ROUTES.get(action)
    if route is None:
        # Echoed cut short: it came from the caller and may be anything.
        raise ApiError(400, "InvalidAction", f"unknown action {action[:64]!r}")
    method, header, handler = route
    if request.method != method:
        message = f"action {action} takes {method}, not {request.method}"
        raise ApiError(405, "MethodNotAllowed", message)
    if request.headers.get(header, "").strip().lower() != "v2":
        raise ApiError(400, "InvalidHTTPRequest", f"action {action} needs the header {header}: v2")
    return await handler(request)


def register(app: web.Application) -> None:
    """Add the v2 route."""
    app.router.add_route("*", "/", dispatch, name="v2")
