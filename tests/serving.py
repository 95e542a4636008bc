"""Ports in tests: the server picks one (port 0) and the test reads it back, never the reverse.

Choosing a free port first and binding it later races with every other process on the machine;
so bot processes get `BOT_PORT=0` and say which port they bound in their log, and a test that
needs a port where nobody answers holds one bound, without listening, while it runs.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# `serve` logs this line once it listens (bot/serve.py).
SERVING = re.compile(r"serving on [^\s:]+:(\d+) in \w+ mode")
START_SECONDS = 60.0


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
