"""The control API answers loopback peers only; the signed v1 routes answer anyone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from aiohttp import web

from bot.simulator.app import build_app
from bot.simulator.control import CONTROL_TOKEN_HEADER
from bot.simulator.routes_pools import SIM
from bot.simulator.state import SimConfig
from tests.simulator.conftest import config, signed

ELSEWHERE = "203.0.113.9"  # TEST-NET-3: a peer on another machine


@web.middleware
async def from_elsewhere(request: web.Request, handler: web.RequestHandler) -> web.StreamResponse:
    """Make every request look as if it came over the network from another machine."""
    return await handler(request.clone(remote=ELSEWHERE))


@asynccontextmanager
async def served_to_a_remote_peer(sim_config: SimConfig) -> AsyncIterator[tuple[str, str]]:
    """Serve the simulator on loopback, its requests seen as coming from `ELSEWHERE`.

    Yield its URL and its control token.
    """
    app = build_app(sim_config)
    app.middlewares.insert(0, from_elsewhere)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}", app[SIM].control_token
    finally:
        await runner.cleanup()


async def test_a_remote_peer_cannot_drive_the_world_but_may_call_v1() -> None:
    async with (
        served_to_a_remote_peer(config()) as (url, token),
        httpx.AsyncClient(base_url=url, headers={CONTROL_TOKEN_HEADER: token}) as ctl,
        signed(url) as api,
    ):
        for method, path, body in [
            ("POST", "/_sim/reset", {"seed": 1, "scenario": "empty"}),
            ("POST", "/_sim/clock/advance", {"seconds": 60}),
            ("PUT", "/_sim/faults", {"error_rate": 1.0}),
            ("GET", "/_sim/stats", None),
        ]:
            refused = await ctl.request(method, path, json=body)
            assert refused.status_code == 403, path
            assert refused.json()["code"] == "AccessDenied"

        pools = await api.get("/api/v1/resourcepools")
        assert pools.status_code == 200
        # The refused reset and faults did nothing: still the demo world, still no errors.
        assert len(pools.json()["result"]["resourcePools"]) == 2


async def test_remote_control_can_be_allowed_explicitly() -> None:
    async with (
        served_to_a_remote_peer(config(allow_remote_control=True)) as (url, token),
        httpx.AsyncClient(base_url=url, headers={CONTROL_TOKEN_HEADER: token}) as ctl,
    ):
        response = await ctl.post("/_sim/clock/advance", json={"seconds": 60})
        assert response.status_code == 200
