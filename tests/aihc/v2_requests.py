"""What Baidu's v2 client and ours send for the same call, as one simulator receives them.

`Sent` is a request with what may differ between two correct clients left out: the signature
and its date, the order of query parameters, the case of header names, JSON spacing and key
order. Both clients talk to the same simulator, so a call that reads or changes the world does
so for real; compare calls that change it on separate jobs, or in an order that keeps both valid.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from baidubce.exception import BceHttpClientError
from pydantic import SecretStr

from bot.aihc.errors import AihcError
from bot.aihc.v2.client import AihcV2Client
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY
from tests.simulator.v2_oracle import Oracle, oracle

_VERSION_HEADERS = ("version", "x-api-version")


@dataclass(frozen=True)
class Sent:
    """One request as the service reads it."""

    method: str
    path: str
    query: frozenset[tuple[str, str]]
    headers: frozenset[tuple[str, str]]
    """The API version header(s) and the content type, names lower-cased."""
    body: Any
    """The JSON body parsed, or None when there is none."""


def _sent(request: web.Request, raw: bytes) -> Sent:
    names = (*_VERSION_HEADERS, "content-type")
    headers = frozenset(
        (name, request.headers[name].split(";")[0].strip())
        for name in names
        if name in request.headers
    )
    return Sent(
        method=request.method,
        path=request.path,
        query=frozenset(request.query.items()),
        headers=headers,
        body=json.loads(raw) if raw else None,
    )


@dataclass
class Recorder:
    """Keeps every API request the simulator receives."""

    sent: list[Sent] = field(default_factory=list)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Record the request (its body is cached for the handler), then answer it."""
        if not request.path.startswith("/_sim/"):
            self.sent.append(_sent(request, await request.read()))
        return await handler(request)

    def only(self) -> Sent:
        """Return the one request recorded since the last `only`, and forget it."""
        sent, self.sent = self.sent, []
        assert len(sent) == 1, f"expected one request, got {len(sent)}: {sent}"
        return sent[0]


@dataclass
class Twins:
    """Baidu's v2 client and ours against one simulator, and what each call sent."""

    baidu: Oracle
    ours: AihcV2Client
    recorder: Recorder

    async def baidu_sends(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Sent:
        """Make one call with Baidu's client (a refusal is fine); return what it sent."""
        self.recorder.sent.clear()
        with suppress(BceHttpClientError):
            await self.baidu.call(method, *args, **kwargs)
        return self.recorder.only()

    async def we_send(self, call: Awaitable[object]) -> Sent:
        """Make one call with our client (a refusal is fine); return what it sent."""
        self.recorder.sent.clear()
        with suppress(AihcError):
            await call
        return self.recorder.only()


@asynccontextmanager
async def twins(**overrides: Any) -> AsyncIterator[Twins]:
    """Serve a frozen-clock simulator with both clients for it (`overrides`: its config)."""
    recorder = Recorder()
    async with oracle(outer=[recorder.middleware], **overrides) as baidu:
        ours = AihcV2Client(baidu.running.url, DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY))
        async with ours:
            yield Twins(baidu, ours, recorder)
