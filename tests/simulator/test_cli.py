"""`aihc-bot simulator` serves the demo world with the documented keys."""

from __future__ import annotations

import asyncio
import signal
import sys

import pytest

from bot.cli import build_parser
from tests.simulator.conftest import signed


def test_the_subcommand_has_the_documented_options() -> None:
    args = build_parser().parse_args(["simulator"])
    assert (args.host, args.port, args.seed, args.scenario) == ("127.0.0.1", 8080, 0, "demo")
    assert args.access_key == "aihc-sim-access-key"
    assert args.secret_key == "aihc-sim-secret-key"
    assert args.clock_speed == 1.0
    assert args.shapes == "live"
    assert build_parser().parse_args(["simulator", "--shapes", "document"]).shapes == "document"
    custom = build_parser().parse_args(
        [
            "simulator",
            "--port",
            "9",
            "--seed",
            "3",
            "--scenario",
            "empty",
            "--clock-speed",
            "60",
            "--access-key",
            "AK",
            "--secret-key",
            "SK",
        ]
    )
    assert (custom.port, custom.seed, custom.scenario, custom.clock_speed) == (9, 3, "empty", 60.0)


def test_a_negative_clock_speed_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["simulator", "--clock-speed", "-1"])
    assert "clock speed" in capsys.readouterr().err


async def _start(*options: str) -> tuple[asyncio.subprocess.Process, str, str]:
    """Start `aihc-bot simulator` on a free port; return it, its URL and its key line."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "simulator",
        "--port",
        "0",
        "--clock-speed",
        "0",
        *options,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    banner = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
    keys = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
    return process, banner.split(" on ", 1)[1].split()[0], keys


async def _interrupt(process: asyncio.subprocess.Process, signum: int = signal.SIGINT) -> int:
    """Press Ctrl-C (or send another signal) and return the exit status."""
    process.send_signal(signum)
    return await asyncio.wait_for(process.wait(), timeout=30)


async def test_the_command_serves_the_demo_world_until_interrupted() -> None:
    process, url, keys = await _start()
    try:
        assert "aihc-sim-access-key" in keys
        assert "aihc-sim-secret-key" in keys
        async with signed(url) as api:
            pools = (await api.get("/api/v1/resourcepools")).json()["result"]["resourcePools"]
        assert sorted(p["metadata"]["name"] for p in pools) == ["cv-h800-pool", "llm-a800-pool"]
    finally:
        code = await _interrupt(process)
    assert code == 0


async def test_a_secret_key_given_on_the_command_line_is_not_printed() -> None:
    process, url, keys = await _start("--access-key", "my-ak", "--secret-key", "my-own-sk")
    try:
        assert "my-ak" in keys
        assert "my-own-sk" not in keys
        async with signed(url, "my-ak", "my-own-sk") as api:
            assert (await api.get("/api/v1/resourcepools")).status_code == 200
    finally:
        assert await _interrupt(process) == 0


async def test_sigterm_stops_the_simulator_cleanly() -> None:
    # As a container's PID 1, a process that does not handle SIGTERM ignores it (`docker stop`
    # then waits 10 s and kills it); here, unhandled, it dies by the signal instead of exiting 0.
    process, url, _keys = await _start()
    try:
        async with signed(url) as api:
            assert (await api.get("/api/v1/resourcepools")).status_code == 200
    finally:
        code = await _interrupt(process, signal.SIGTERM)
    assert code == 0
    assert process.stderr is not None
    assert b"Traceback" not in await process.stderr.read()
