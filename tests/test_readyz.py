"""`/readyz` answers from a short cache and reads the database without taking its write lock."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bot.runtime import Runtime, build_runtime
from bot.serve import readiness_checks
from bot.settings import load_settings
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SimConfig, serve
from bot.web import READY_CACHE_SECONDS, build_web_app, start_web

PROBES = 100


@dataclass
class Probed:
    """A bot's HTTP server on the simulator, counting what its readiness checks cost."""

    runtime: Runtime
    http: httpx.AsyncClient
    control: httpx.AsyncClient
    checkouts: list[Any] = field(default_factory=list)
    """Database connections taken from the pool."""
    begins: list[Any] = field(default_factory=list)
    """Transactions begun (on SQLite each one takes the write lock)."""

    async def aihc_calls(self) -> int:
        """Return the AIHC calls answered since the last reset, and reset the count."""
        stats: dict[str, Any] = (await self.control.get("/_sim/stats")).json()
        assert (await self.control.post("/_sim/stats/reset", json={})).status_code == 200
        return int(stats["total"])


@asynccontextmanager
async def probed(database_url: str, **web: Any) -> AsyncIterator[Probed]:
    """Serve `/readyz` as `serve` does, on the simulator and the given database."""
    async with (
        serve(SimConfig(seed=7, clock_speed=0.0)) as sim,
        sim.control_client() as control,
    ):
        settings = load_settings(
            slack_bot_token="xoxb-readyz",
            slack_signing_secret="readyz-signing-secret-0123456789",
            slack_api_url="http://127.0.0.1:9/api/",
            bot_mode="http",
            aihc_endpoint=sim.url,
            aihc_access_key=DEFAULT_ACCESS_KEY,
            aihc_secret_key=DEFAULT_SECRET_KEY,
            database_url=database_url,
        )
        runtime = build_runtime(settings)
        app = build_web_app(
            slack_app=None, metrics=runtime.metrics, checks=readiness_checks(runtime), **web
        )
        runner, port = await start_web(app, "127.0.0.1", 0)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
                result = Probed(runtime, http, control)
                engine = runtime.store.engine.sync_engine
                event.listen(engine.pool, "checkout", lambda *a: result.checkouts.append(a))
                event.listen(engine, "begin", lambda *a: result.begins.append(a))
                assert (await control.post("/_sim/stats/reset", json={})).status_code == 200
                yield result
        finally:
            await runner.cleanup()
            await runtime.aclose()


async def test_concurrent_probes_cost_one_check_per_cache_period(database_url: str) -> None:
    async with probed(database_url) as bot:
        started = time.monotonic()
        answers = await asyncio.gather(*(bot.http.get("/readyz") for _ in range(PROBES)))
        periods = 1 + int((time.monotonic() - started) // READY_CACHE_SECONDS)
        assert {a.status_code for a in answers} == {200}
        assert all(a.json() == {"database": "ok", "aihc": "ok"} for a in answers)
        assert await bot.aihc_calls() <= periods
        assert len(bot.checkouts) <= periods
        # No transaction at all: on SQLite a transaction begins IMMEDIATE, taking the write lock.
        assert bot.begins == []


async def test_a_probe_after_the_cache_period_checks_again(database_url: str) -> None:
    async with probed(database_url, ready_ttl=0.0) as bot:
        for _ in range(3):
            assert (await bot.http.get("/readyz")).status_code == 200
        assert await bot.aihc_calls() == 3
        assert len(bot.checkouts) == 3


async def test_a_failing_dependency_is_cached_too(database_url: str) -> None:
    async with probed(database_url) as bot:
        faults = {"error_rate": 1.0, "error_status": 403}
        assert (await bot.control.put("/_sim/faults", json=faults)).status_code == 200
        started = time.monotonic()
        answers = await asyncio.gather(*(bot.http.get("/readyz") for _ in range(10)))
        periods = 1 + int((time.monotonic() - started) // READY_CACHE_SECONDS)
        assert {a.status_code for a in answers} == {503}
        assert answers[0].json() == {"database": "ok", "aihc": "failed: AihcAuthError"}
        assert await bot.aihc_calls() <= periods


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_writer_holding_the_lock_does_not_make_the_bot_unready(database_url: str) -> None:
    path = make_url(database_url).database
    assert path is not None
    async with probed(database_url) as bot:
        # The bot has been at work: its pool is connected and the database in WAL mode.
        async with bot.runtime.store.transaction() as uow:
            await uow.session.execute(text("SELECT 1"))
        holder = sqlite3.connect(path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            answer = await bot.http.get("/readyz")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert answer.json() == {"database": "ok", "aihc": "ok"}
    assert answer.status_code == 200
