"""Send prepared HTTP requests all at once and print how long each took to be answered.

Run by `ack_latency.py` as a process of its own, so that what it times is the bot's answer and not
the measuring side's own work: its fake Slack (which receives the bot's answers in that process),
or an HTTP client's per-request overhead (httpx's connection pool does work quadratic in the
requests waiting on it: 100 at once cost 0.4-0.9 s before a single byte reaches a server that
answers at once). Standard library only; reads a JSON object on stdin: `{"url": ..., "requests":
[{"headers": {...}, "body": "..."}]}`; prints a JSON list of `[status, seconds]`, in order.
Each request opens its own connection (as Slack's do) and is timed from the connect to the
status line of the answer.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any
from urllib.parse import urlsplit


async def fire(host: str, port: int, path: str, headers: dict[str, str], body: bytes) -> list[Any]:
    """Send one request on a new connection; return its status and its seconds to the answer."""
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(raw)
    status_line = await reader.readline()
    seconds = time.perf_counter() - started
    await reader.read()  # the rest of the answer; the bot closes (Connection: close)
    writer.close()
    return [int(status_line.split()[1]), seconds]


async def main() -> None:
    """Read the requests, fire them together, print the timings."""
    order = json.loads(sys.stdin.read())
    url = urlsplit(order["url"])
    host, port = url.hostname or "127.0.0.1", url.port or 80
    timed = await asyncio.gather(
        *(fire(host, port, url.path, r["headers"], r["body"].encode()) for r in order["requests"])
    )
    print(json.dumps(timed), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
