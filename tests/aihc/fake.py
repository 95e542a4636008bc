"""A scripted fake AIHC server for `httpx.MockTransport`: routes, recorded requests, replies."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.limits import Limits
from bot.aihc.retry import RetryPolicy

FIXTURES = Path(__file__).parent.parent / "fixtures" / "aihc"
ENDPOINT = "https://aihc.bj.baidubce.com"
AK = "AKIDEXAMPLE00000000000000000000"
SK = "SKEXAMPLE1111111111111111111111"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def fixture(name: str) -> Any:
    """Load one of the API document's examples."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def ok(body: Any, **headers: str) -> httpx.Response:
    """A 200 answer with a JSON body."""
    return httpx.Response(200, json=body, headers=headers)


def bce_error(status: int, code: str, message: str, request_id: str = "req-1") -> httpx.Response:
    """An error answer shaped like BCE's."""
    return httpx.Response(status, json={"requestId": request_id, "code": code, "message": message})


@dataclass
class FakeAihc:
    """Answer requests from a queue of replies per (method, decoded path); record every request."""

    replies: dict[tuple[str, str], list[Reply]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, path: str, *replies: Reply) -> None:
        """Queue replies for a route; the last one repeats."""
        self.replies.setdefault((method, path), []).extend(replies)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Serve one request (the MockTransport handler)."""
        self.requests.append(request)
        raw_path = request.url.raw_path.decode().split("?")[0]
        key = (request.method, unquote(raw_path))
        queue = self.replies.get(key)
        if not queue:
            return bce_error(404, "NoSuchRoute", f"no fake route for {key}")
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, Exception):
            raise reply
        if callable(reply):
            return reply(request)
        return reply

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        """The recorded requests to one route."""
        return [
            r
            for r in self.requests
            if r.method == method and unquote(r.url.raw_path.decode().split("?")[0]) == path
        ]

    def client(self, **options: Any) -> AihcClient:
        """A client wired to this fake that never really sleeps."""
        self.sleeps: list[float] = []

        async def no_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        defaults: dict[str, Any] = {
            "transport": httpx.MockTransport(self.handle),
            "sleep": no_sleep,
            "retry": RetryPolicy(attempts=4, base_delay=0.1, max_delay=1.0),
            "limits": Limits(max_in_flight=8, rate_per_second=1000, burst=1000),
            "clock": ticking_clock(),
        }
        defaults.update(options)
        return AihcClient(ENDPOINT, AK, SecretStr(SK), **defaults)


def ticking_clock(start: datetime | None = None) -> Callable[[], datetime]:
    """A clock that moves one second on every reading."""
    moments: Iterator[int] = iter(range(10**9))
    origin = (start or datetime(2024, 7, 16, 8, 33, 43, tzinfo=UTC)).timestamp()

    def now() -> datetime:
        return datetime.fromtimestamp(origin + next(moments), UTC)

    return now
