"""The client never has more requests in flight, nor sends faster, than configured."""

from __future__ import annotations

import asyncio

import httpx

from bot.aihc.limits import Limits, TokenBucket
from tests.aihc.fake import FakeAihc, ok


async def test_requests_in_flight_are_capped() -> None:
    in_flight = 0
    peak = 0
    release = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await release.wait()
        in_flight -= 1
        return ok({"result": {"resourcePool": {"metadata": {"id": "p"}}}})

    fake = FakeAihc()
    limits = Limits(max_in_flight=3, rate_per_second=1000, burst=1000)
    async with fake.client(transport=httpx.MockTransport(handler), limits=limits) as client:
        calls = [asyncio.create_task(client.get_pool("p")) for _ in range(12)]
        for _ in range(20):
            await asyncio.sleep(0)
        assert peak == 3
        release.set()
        pools = await asyncio.gather(*calls)
    assert len(pools) == 12
    assert peak == 3


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    time = FakeTime()
    bucket = TokenBucket(rate=5, burst=2, clock=time.monotonic, sleep=time.sleep)
    for _ in range(12):
        await bucket.acquire()
    # two at once, then ten more at five a second
    assert abs(time.now - 2.0) < 1e-9


async def test_client_paces_requests_to_the_rate_limit() -> None:
    time = FakeTime()
    fake = FakeAihc()
    fake.on(
        "GET",
        "/api/v1/resourcepools/p",
        ok({"result": {"resourcePool": {"metadata": {"id": "p"}}}}),
    )
    limits = Limits(max_in_flight=4, rate_per_second=10, burst=1)
    async with fake.client(limits=limits, monotonic=time.monotonic, sleep=time.sleep) as client:
        await asyncio.gather(*(client.get_pool("p") for _ in range(21)))
    assert len(fake.requests) == 21
    assert abs(time.now - 2.0) < 1e-9


def test_limits_reject_nonsense() -> None:
    import pytest

    with pytest.raises(ValueError, match="max_in_flight"):
        Limits(max_in_flight=0)
    with pytest.raises(ValueError, match="rate_per_second"):
        Limits(rate_per_second=0)
