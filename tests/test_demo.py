"""`aihc-bot demo` as a person runs it: it prints a URL, the page answers, a signal stops it all."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest

from bot.cli import build_parser

START_SECONDS = 60.0
_URL = re.compile(r"open (http://127\.0\.0\.1:\d+/) in a browser")
_BOT = re.compile(r"bot\s+(http://127\.0\.0\.1:\d+)")
_PAGE_TOKEN = re.compile(r'<meta name="workspace-token" content="([^"]+)">')
_SIMULATOR = re.compile(r"AIHC simulator\s+(http://127\.0\.0\.1:\d+)")
_CONTROL_TOKEN = re.compile(r"control token\s+(\S+)")


@dataclass
class Running:
    """A demo process and what it printed so far."""

    process: asyncio.subprocess.Process
    printed: list[str]
    url: str
    bot_url: str


async def _banner(process: asyncio.subprocess.Process, printed: list[str]) -> tuple[str, str]:
    assert process.stdout is not None
    async with asyncio.timeout(START_SECONDS):
        while "Press Ctrl-C" not in "".join(printed):
            line = await process.stdout.readline()
            if not line:
                assert process.stderr is not None
                error = (await process.stderr.read()).decode()
                raise AssertionError(f"the demo exited: {''.join(printed)}{error}")
            printed.append(line.decode())
    text = "".join(printed)
    url, bot = _URL.search(text), _BOT.search(text)
    assert url is not None, text
    assert bot is not None, text
    return url.group(1), bot.group(1)


@asynccontextmanager
async def demo_process() -> AsyncIterator[Running]:
    """Start `aihc-bot demo --port 0`; kill it at the end if the test did not stop it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", "--port", "0",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    printed: list[str] = []
    try:
        url, bot_url = await _banner(process, printed)
        yield Running(process, printed, url, bot_url)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _stopped(running: Running, signum: int) -> tuple[int, str]:
    running.process.send_signal(signum)
    async with asyncio.timeout(START_SECONDS):
        out, err = await running.process.communicate()
    return running.process.returncode or 0, "".join(running.printed) + out.decode() + err.decode()


def test_demo_is_a_subcommand_with_a_page_port() -> None:
    args = build_parser().parse_args(["demo", "--port", "0"])
    assert args.port == 0
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--port", "70000"])


async def _control_with_the_printed_token(http: httpx.AsyncClient, printed: str) -> None:
    """The simulator's control API takes a write with the token the banner printed, and only so."""
    simulator, token = _SIMULATOR.search(printed), _CONTROL_TOKEN.search(printed)
    assert simulator is not None, printed
    assert token is not None, printed
    url = f"{simulator.group(1)}/_sim/stats/reset"
    assert (await http.post(url, json={})).status_code == 403
    allowed = await http.post(url, json={}, headers={"X-Sim-Token": token.group(1)})
    assert allowed.status_code == 200, allowed.text


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_demo_serves_the_workspace_and_stops_on_a_signal(signum: int) -> None:
    async with demo_process() as running, httpx.AsyncClient(timeout=30) as http:
        page = await http.get(running.url)
        assert page.status_code == 200
        assert "local workspace" in page.text
        token = _PAGE_TOKEN.search(page.text)
        assert token is not None, page.text
        assert (await http.get(f"{running.bot_url}/healthz")).json() == {"status": "ok"}
        sent = await http.post(
            f"{running.url}workspace/command",
            json={"user": "U0001", "channel": "C0001", "text": "/aihc pools"},
            headers={"X-Workspace-Token": token.group(1)},
        )
        assert sent.json() == {"errors": {}, "problem": None}
        answer = ""
        async with asyncio.timeout(START_SECONDS):
            while "llm-a800-pool" not in answer:
                state = (await http.get(f"{running.url}workspace/state?user=U0001")).json()
                answer = json.dumps(state["messages"])
                await asyncio.sleep(0.1)
        await _control_with_the_printed_token(http, "".join(running.printed))
        code, output = await _stopped(running, signum)
    assert code == 0, output
    assert "aihc-bot demo: stopped" in output
    assert "Traceback" not in output
