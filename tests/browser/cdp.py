"""Headless Chromium driven over the Chrome DevTools Protocol, with aiohttp's websockets.

No npm, no Playwright, nothing fetched at run time: Debian's `chromium` package and a small
client. Chromium starts with its own empty profile in a temporary folder and a debugging port
on loopback picked by itself (`--remote-debugging-port=0`); the port is read from what it prints.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "--window-size=1400,1000",
)
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
START_SECONDS = 60.0
CALL_SECONDS = 60.0


class CdpError(Exception):
    """A DevTools call answered with an error."""


@dataclass
class Session:
    """One websocket to a DevTools target: calls by id, events kept for the tests to read."""

    ws: aiohttp.ClientWebSocketResponse
    events: list[dict[str, Any]] = field(default_factory=list)
    _pending: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _reader: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start reading answers and events."""
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            future = self._pending.pop(data.get("id", -1), None)
            if future is None:
                self.events.append(data)
            elif not future.done():
                if "error" in data:
                    future.set_exception(CdpError(json.dumps(data["error"])))
                else:
                    future.set_result(data.get("result", {}))
        for future in self._pending.values():
            if not future.done():
                future.set_exception(CdpError("the DevTools connection closed"))

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Call one DevTools method and return its result."""
        call_id = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[call_id] = future
        await self.ws.send_json({"id": call_id, "method": method, "params": params})
        async with asyncio.timeout(CALL_SECONDS):
            return await future

    async def close(self) -> None:
        """Close the websocket and stop reading."""
        await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


async def _devtools_url(process: asyncio.subprocess.Process, said: deque[str]) -> str:
    """Read Chromium's stderr until it names its DevTools websocket."""
    assert process.stderr is not None
    async with asyncio.timeout(START_SECONDS):
        while line := await process.stderr.readline():
            text = line.decode(errors="replace").rstrip()
            said.append(text)
            found = _LISTENING.search(text)
            if found:
                return found.group(1)
    raise RuntimeError("Chromium exited before it listened:\n" + "\n".join(said))


async def _drain(process: asyncio.subprocess.Process, said: deque[str]) -> None:
    """Keep reading stderr so that Chromium never blocks on a full pipe."""
    assert process.stderr is not None
    while line := await process.stderr.readline():
        said.append(line.decode(errors="replace").rstrip())


async def _page_target(http: aiohttp.ClientSession, browser_ws: str) -> str:
    """Return the websocket URL of the first page target."""
    host = browser_ws.removeprefix("ws://").split("/", 1)[0]
    async with asyncio.timeout(START_SECONDS):
        while True:
            async with http.get(f"http://{host}/json/list") as response:
                targets = await response.json()
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return str(pages[0]["webSocketDebuggerUrl"])
            await asyncio.sleep(0.1)


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.terminate()
    try:
        async with asyncio.timeout(10):
            await process.wait()
    except TimeoutError:
        process.kill()
        await process.wait()


def missing_chromium() -> str | None:
    """Say what to install when Chromium is not there (the tests then fail, never skip)."""
    if CHROMIUM.exists():
        return None
    return (
        f"{CHROMIUM} is missing: install Debian's chromium package "
        "(`apt-get install -y chromium`; .ci/run does it on a fresh machine)"
    )


@asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[Session]:
    """Start headless Chromium with an empty profile in `profile`; yield a session on its page."""
    said: deque[str] = deque(maxlen=200)
    process = await asyncio.create_subprocess_exec(
        str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    drain: asyncio.Task[None] | None = None
    try:
        browser_ws = await _devtools_url(process, said)
        drain = asyncio.create_task(_drain(process, said))
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(await _page_target(http, browser_ws), max_msg_size=0)
            session = Session(ws)
            session.start()
            try:
                yield session
            finally:
                await session.close()
    finally:
        await _stop(process)
        if drain is not None:
            drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await drain
