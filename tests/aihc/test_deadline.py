"""A call's deadline bounds it across attempts: waits, retries and queueing for a slot included."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcServerError, AihcThrottled, AihcTransportError
from bot.aihc.limits import Limits
from bot.aihc.retry import BACKGROUND_RETRY, INTERACTIVE_RETRY, RetryPolicy
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running
from tests.aihc.fake import FakeAihc, bce_error, ok

JOB_PATH = "/api/v1/aijobs/pytorchjob-x"
GOOD_JOB = ok({"requestId": "r", "result": {"jobId": "pytorchjob-x", "status": "Running"}})
# The simulator's injected latency: longer than the deadlines below, so only they end a call.
HANG_MS = 3_000


class VirtualTime:
    """A monotonic clock that moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        """Return the virtual time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Move the virtual time on instead of waiting."""
        self.now += seconds


def test_interactive_calls_have_a_short_total_deadline_and_background_ones_a_longer() -> None:
    assert INTERACTIVE_RETRY.deadline_seconds is not None
    assert INTERACTIVE_RETRY.deadline_seconds <= 10
    assert BACKGROUND_RETRY.deadline_seconds is not None
    assert BACKGROUND_RETRY.deadline_seconds > INTERACTIVE_RETRY.deadline_seconds


async def test_a_wait_that_would_pass_the_deadline_is_not_taken(fake: FakeAihc) -> None:
    throttled = httpx.Response(429, headers={"Retry-After": "30"})
    fake.on("GET", JOB_PATH, throttled, GOOD_JOB)
    time = VirtualTime()
    policy = RetryPolicy(attempts=4, deadline_seconds=10)
    async with fake.client(retry=policy, sleep=time.sleep, monotonic=time.monotonic) as client:
        with pytest.raises(AihcThrottled) as caught:
            await client.get_job("cce-1", "pytorchjob-x")
    assert caught.value.attempts == 1
    assert time.now == 0.0


async def test_backoff_stops_at_the_deadline_however_many_attempts_are_left(
    fake: FakeAihc,
) -> None:
    fake.on("GET", JOB_PATH, bce_error(503, "", "busy"))
    time = VirtualTime()
    policy = RetryPolicy(attempts=50, base_delay=1.0, max_delay=4.0, deadline_seconds=10)
    async with fake.client(retry=policy, sleep=time.sleep, monotonic=time.monotonic) as client:
        with pytest.raises(AihcServerError) as caught:
            await client.get_job("cce-1", "pytorchjob-x")
    assert time.now <= 10
    assert 2 < caught.value.attempts < 50


async def test_without_a_deadline_every_attempt_is_made(fake: FakeAihc) -> None:
    fake.on("GET", JOB_PATH, httpx.Response(429, headers={"Retry-After": "30"}))
    time = VirtualTime()
    policy = RetryPolicy(attempts=4)
    async with fake.client(retry=policy, sleep=time.sleep, monotonic=time.monotonic) as client:
        with pytest.raises(AihcThrottled) as caught:
            await client.get_job("cce-1", "pytorchjob-x")
    assert caught.value.attempts == 4
    assert time.now == 90.0


@pytest.fixture
async def hanging_sim(sim: Running) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    """A simulator that answers every v1 call with a 503 after HANG_MS: AIHC as good as down."""
    async with sim.control_client() as control:
        faults = {"error_rate": 1.0, "error_status": 503, "latency_ms": HANG_MS}
        assert (await control.put("/_sim/faults", json=faults)).status_code == 200
        yield sim.url, control


def sim_client(url: str, **options: Any) -> AihcClient:
    """A client of the simulator, paced loosely so only the deadline decides."""
    options.setdefault("limits", Limits(rate_per_second=10_000, burst=10_000))
    return AihcClient(url, DEFAULT_ACCESS_KEY, SecretStr(DEFAULT_SECRET_KEY), **options)


async def test_a_read_of_a_hanging_aihc_fails_at_its_deadline(
    hanging_sim: tuple[str, httpx.AsyncClient],
) -> None:
    url, control = hanging_sim
    policy = RetryPolicy(attempts=4, deadline_seconds=1.0)
    async with sim_client(url, retry=policy) as client:
        # Without a deadline, four attempts of HANG_MS each: the bound here is only a backstop.
        call = client.list_pools(page_size=1)
        with pytest.raises(AihcTransportError) as caught:
            await asyncio.wait_for(call, HANG_MS * 3 / 1000)
    message = str(caught.value)
    assert "pool.list" in message
    assert "within 1 s" in message
    assert "\n" not in message
    # The one attempt was still waiting for its answer when the deadline ended it.
    stats = (await control.get("/_sim/stats")).json()
    assert stats["statuses"] == {}


async def test_a_call_queued_behind_a_full_in_flight_cap_gives_up_at_its_deadline() -> None:
    release = asyncio.Event()
    arrived = asyncio.Event()
    seen: list[str] = []

    async def hang(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        arrived.set()
        await release.wait()
        return GOOD_JOB

    fake = FakeAihc()
    background = fake.client(
        transport=httpx.MockTransport(hang),
        limits=Limits(max_in_flight=1, rate_per_second=1000, burst=1000),
        retry=RetryPolicy(attempts=1),
    )
    interactive = background.with_retry(RetryPolicy(attempts=4, deadline_seconds=0.2))
    async with background:
        holder = asyncio.create_task(background.get_job("cce-1", "pytorchjob-x"))
        await asyncio.wait_for(arrived.wait(), 10)
        with pytest.raises(AihcTransportError):
            await asyncio.wait_for(interactive.get_job("cce-1", "pytorchjob-y"), 10)
        # The interactive call never reached AIHC: the one slot is shared, and it was taken.
        assert seen == [JOB_PATH]
        release.set()
        assert (await holder).id == "pytorchjob-x"
