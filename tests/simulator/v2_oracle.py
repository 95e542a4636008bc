"""Baidu's own AIHC v2 client (bce-python-sdk `baidubce.services.aihc`) against a simulator.

bce-python-sdk 0.9.79 never closes the connection of a call that succeeded
(baidubce/http/bce_http_client.py:266-272 return without `conn.close()`), which Python reports
as an unclosed socket; `Oracle.call` closes the connections each call opened.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp.typedefs import Middleware
from baidubce.auth.bce_credentials import BceCredentials
from baidubce.bce_client_configuration import BceClientConfiguration
from baidubce.exception import BceHttpClientError
from baidubce.http import bce_http_client
from baidubce.retry.retry_policy import NoRetryPolicy
from baidubce.services.aihc.aihc_client import AihcClient

from bot.domain import JobStatus
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running, serve
from bot.simulator.lifecycle import status_at
from bot.simulator.model import Job
from tests.simulator.conftest import config


def baidu_client(url: str, sk: str = DEFAULT_SECRET_KEY) -> AihcClient:
    """Return Baidu's v2 client pointed at a simulator's loopback URL."""
    credentials = BceCredentials(DEFAULT_ACCESS_KEY, sk)
    settings = BceClientConfiguration(
        credentials=credentials, endpoint=url, retry_policy=NoRetryPolicy()
    )
    return AihcClient(settings)


@dataclass
class Oracle:
    """A running simulator and Baidu's client for it; `call` runs one blocking SDK call."""

    running: Running
    client: AihcClient
    opened: list[Any]

    async def call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a blocking SDK method off the event loop the simulator serves on."""
        try:
            return await asyncio.to_thread(method, *args, **kwargs)
        finally:
            while self.opened:
                self.opened.pop().close()

    async def refused(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run an SDK call that must fail; return the server's error Baidu's client raised."""
        try:
            await self.call(method, *args, **kwargs)
        except BceHttpClientError as error:
            return error.last_error
        raise AssertionError(f"{method.__name__} was not refused")

    def running_job(self) -> Job:
        """Return the first job of the world that runs now."""
        sim = self.running.simulator
        now = sim.now()
        return next(j for j in sim.world.jobs.values() if status_at(j, now) is JobStatus.RUNNING)


@asynccontextmanager
async def oracle(outer: Sequence[Middleware] = (), **overrides: Any) -> AsyncIterator[Oracle]:
    """Serve a frozen-clock simulator and hand Baidu's v2 client for it (`outer`: see `serve`)."""
    opened: list[Any] = []
    connect = bce_http_client._get_connection

    def remembered(*args: Any, **kwargs: Any) -> Any:
        connection = connect(*args, **kwargs)
        opened.append(connection)
        return connection

    bce_http_client._get_connection = remembered
    try:
        async with serve(config(**overrides), outer=outer) as running:
            yield Oracle(running, baidu_client(running.url), opened)
    finally:
        bce_http_client._get_connection = connect
