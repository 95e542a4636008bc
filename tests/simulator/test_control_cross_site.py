"""The control API cannot be driven from a web page: writes are JSON only and carry the run's token.

A page on any site can make the browser send a simple POST (a form, or `fetch` with `no-cors`)
to a loopback port without asking first: its body is form-encoded or `text/plain`, and it carries
no custom header. A JSON body or an `X-Sim-Token` header makes the browser ask first (a CORS
preflight), which the simulator never grants; and the token is known only to the simulator's
own process and whoever reads its output.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.simulator import Running, serve
from bot.simulator.faults import Faults
from bot.simulator.server import read_banner
from tests.simulator.conftest import START, config, signed

CROSS_SITE_BODIES = [
    ("application/x-www-form-urlencoded", b"seed=1&scenario=empty"),
    ("text/plain", b'{"seed": 1, "scenario": "empty"}'),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="seed"\r\n'),
]


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    """The demo world, seed 7, clock frozen at START."""
    async with serve(config()) as served:
        yield served


async def _unchanged(running: Running) -> None:
    """Assert that the world is still the demo one at START: two pools, time not moved."""
    async with signed(running.url) as api:
        pools = (await api.get("/api/v1/resourcepools")).json()["result"]["resourcePools"]
    assert len(pools) == 2
    assert running.simulator.clock.now() == START
    assert running.simulator.faults == Faults()


@pytest.mark.parametrize(("content_type", "body"), CROSS_SITE_BODIES)
async def test_a_cross_site_form_or_text_post_is_refused_and_changes_nothing(
    running: Running, content_type: str, body: bytes
) -> None:
    headers = {"Content-Type": content_type, "Origin": "https://evil.example"}
    async with httpx.AsyncClient(base_url=running.url, timeout=30) as page:
        for path in ("/_sim/reset", "/_sim/clock/advance", "/_sim/stats/reset"):
            refused = await page.post(path, content=body, headers=headers)
            assert refused.status_code in {403, 415}, (path, refused.text)
            assert refused.json()["code"] in {"AccessDenied", "UnsupportedMediaType"}
        no_body = await page.post("/_sim/reset")  # `fetch(url, {method: "POST", mode: "no-cors"})`
        assert no_body.status_code in {403, 415}
    await _unchanged(running)


async def test_a_json_write_without_the_token_is_refused(running: Running) -> None:
    async with httpx.AsyncClient(base_url=running.url, timeout=30) as ctl:
        for headers in ({}, {"X-Sim-Token": ""}, {"X-Sim-Token": "guessed"}):
            for method, path, body in [
                ("POST", "/_sim/reset", {"seed": 1, "scenario": "empty"}),
                ("POST", "/_sim/clock/advance", {"seconds": 60}),
                ("PUT", "/_sim/faults", {"error_rate": 1.0}),
            ]:
                refused = await ctl.request(method, path, json=body, headers=headers)
                assert refused.status_code == 403, (path, refused.text)
                assert refused.json()["code"] == "AccessDenied"
        # Reading changes nothing and stays open.
        assert (await ctl.get("/_sim/stats")).status_code == 200
    await _unchanged(running)


async def test_with_the_token_a_write_must_still_be_json(running: Running) -> None:
    async with running.control_client() as ctl:
        for content_type, body in CROSS_SITE_BODIES:
            refused = await ctl.post(
                "/_sim/clock/advance", content=body, headers={"Content-Type": content_type}
            )
            assert refused.status_code == 415
            assert refused.json() == {
                "code": "UnsupportedMediaType",
                "message": "send the body as JSON (Content-Type: application/json)",
            }
        await _unchanged(running)
        moved = await ctl.post("/_sim/clock/advance", json={"seconds": 60})
        assert moved.status_code == 200, moved.text
        assert running.simulator.clock.now() == START + 60


async def test_a_preflight_is_never_granted(running: Running) -> None:
    preflight = {
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-sim-token",
    }
    async with httpx.AsyncClient(base_url=running.url, timeout=30) as page:
        answer = await page.options("/_sim/reset", headers=preflight)
    assert answer.status_code >= 400
    assert not any(name.lower().startswith("access-control-") for name in answer.headers)


async def test_each_run_has_its_own_token() -> None:
    async with serve(config()) as one, serve(config()) as two:
        tokens = {one.simulator.control_token, two.simulator.control_token}
        assert len(tokens) == 2
        assert all(len(token) >= 32 for token in tokens)
        async with httpx.AsyncClient(base_url=two.url, headers=one.control_headers) as ctl:
            assert (await ctl.post("/_sim/stats/reset", json={})).status_code == 403


async def test_the_simulator_command_prints_the_token_its_control_api_wants() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "simulator", "--port", "0", "--clock-speed", "0",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        async with asyncio.timeout(60):
            url, token = await read_banner(process.stdout)
        async with httpx.AsyncClient(base_url=url, timeout=30) as ctl:
            refused = await ctl.post("/_sim/clock/advance", json={"seconds": 60})
            moved = await ctl.post(
                "/_sim/clock/advance", json={"seconds": 60}, headers={"X-Sim-Token": token}
            )
        assert (refused.status_code, moved.status_code) == (403, 200)
    finally:
        process.terminate()
        await process.wait()
