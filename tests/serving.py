"""`aihc-bot serve` as a process of its own, and the ports tests use.

Ports: the server picks one (port 0) and the test reads it back, never the reverse. Choosing a
free port first and binding it later races with every other process on the machine; so bot
processes get `BOT_PORT=0` and say which port they bound in their log, and a test that needs a
port where nobody answers holds one bound, without listening, while it runs.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running
from bot.workspace import FakeSlack

# `serve` logs this line once it listens (bot/serve.py).
SERVING = re.compile(r"serving on [^\s:]+:(\d+) in \w+ mode")
START_SECONDS = 60.0
STOP_SECONDS = 30.0
SIGNING_SECRET = "serve-test-signing-secret-4f1d2c"


async def served_port(
    process: asyncio.subprocess.Process, log: Path, *, since: int = 0, limit: float = START_SECONDS
) -> int:
    """Wait until a `serve` process logs the port it bound (after byte `since` of its log)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        text = _logged(log, since)
        found = SERVING.search(text)
        if found:
            return int(found.group(1))
        if process.returncode is not None:
            raise AssertionError(f"serve exited with {process.returncode} before serving:\n{text}")
        if loop.time() > deadline:
            raise TimeoutError(f"serve did not listen within {limit}s:\n{text[-3000:]}")
        await asyncio.sleep(0.05)


def _logged(log: Path, since: int) -> str:
    """Return what a process wrote to its log after byte `since` (a small file, read at once)."""
    return log.read_bytes()[since:].decode(errors="replace") if log.exists() else ""


@contextmanager
def refused_port() -> Iterator[int]:
    """Hold a loopback port bound but not listening: connecting to it is refused meanwhile."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield int(holder.getsockname()[1])


def base_env() -> dict[str, str]:
    """Only what Python needs to run; every bot setting is given explicitly."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONUNBUFFERED": "1"}


def serve_env(sim: Running, slack: FakeSlack, database_url: str, **extra: str) -> dict[str, str]:
    """Return the environment of a bot process in HTTP mode on the simulator and the fake Slack."""
    return {
        **base_env(),
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "BOT_MODE": "http",
        "AIHC_ENDPOINT": sim.url,
        "AIHC_ACCESS_KEY": DEFAULT_ACCESS_KEY,
        "AIHC_SECRET_KEY": DEFAULT_SECRET_KEY,
        "DATABASE_URL": database_url,
        "BOT_HOST": "127.0.0.1",
        # Any free port: the test reads the bound one from the log.
        "BOT_PORT": "0",
        **extra,
    }


@dataclass
class BotProcess:
    """One `aihc-bot serve` process, restartable, its output appended to a file."""

    env: dict[str, str]
    log: Path
    cwd: Path | None = None
    process: asyncio.subprocess.Process | None = None
    kills: int = 0
    started_at: int = 0
    """Where in the log the current process's output begins."""

    @property
    def returncode(self) -> int | None:
        """Return how the current process exited, None while it runs (or before it started)."""
        return None if self.process is None else self.process.returncode

    async def start(self) -> None:
        """Start the bot; it binds any free port."""
        self.started_at = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve", env=self.env, cwd=self.cwd,
                stdout=out, stderr=out,
            )  # fmt: skip

    async def serving(self, limit: float = START_SECONDS) -> int:
        """Wait until the current process serves; return the port it bound."""
        assert self.process is not None
        return await served_port(self.process, self.log, since=self.started_at, limit=limit)

    async def url(self, limit: float = START_SECONDS) -> str:
        """Wait until the current process serves; return its base URL."""
        return f"http://127.0.0.1:{await self.serving(limit)}"

    def output(self) -> str:
        """Return what the current process has written so far."""
        return _logged(self.log, self.started_at)

    async def exited(self, limit: float = STOP_SECONDS) -> str:
        """Wait (bounded) for the process to end by itself; return its output."""
        assert self.process is not None
        async with asyncio.timeout(limit):
            await self.process.wait()
        return self.output()

    async def kill(self) -> None:
        """SIGKILL the bot: no shutdown code runs."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()
            self.kills += 1

    async def stall(self, seconds: float) -> None:
        """Freeze the bot (SIGSTOP) for `seconds`, then let it go on (SIGCONT) where it was."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGSTOP)
        try:
            await asyncio.sleep(seconds)
        finally:
            self.process.send_signal(signal.SIGCONT)
        self.kills += 1

    async def stop(self, limit: float = 15.0) -> str:
        """Stop the bot with SIGTERM (SIGKILL when it does not stop in time); return its output."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(limit):
                    await self.process.wait()
            except TimeoutError:
                await self.kill()
        return self.output()


class Bots:
    """Start `aihc-bot serve` processes; whatever still runs at the end of the test is killed."""

    def __init__(self, tmp_path: Path) -> None:
        self._tmp_path = tmp_path
        self.started: list[BotProcess] = []

    async def start(self, env: dict[str, str], *, name: str = "serve") -> BotProcess:
        """Start one process in the test's directory, its output in `<name>.log` there."""
        bot = BotProcess(env, self._tmp_path / f"{name}.log", cwd=self._tmp_path)
        self.started.append(bot)
        await bot.start()
        return bot

    async def kill_all(self) -> None:
        """SIGKILL every process still running."""
        for bot in self.started:
            await bot.kill()
