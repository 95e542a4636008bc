"""Each injected fault meets the client's retry rules (AIHC-NOTES §6) over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcBadRequest, AihcServerError
from bot.aihc.limits import Limits
from bot.domain import JobStatus
from bot.domain.jobspec import JobSpec
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY
from tests.simulator.conftest import Sim


class Waits:
    """A sleep that records what the client would have waited, and waits no real time."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def waits() -> Waits:
    """The waits the client asked for."""
    return Waits()


def _client(sim: Sim, waits: Waits, **options: Any) -> AihcClient:
    return AihcClient(
        sim.running.url,
        DEFAULT_ACCESS_KEY,
        SecretStr(DEFAULT_SECRET_KEY),
        sleep=waits,
        limits=Limits(rate_per_second=10_000, burst=10_000),
        **options,
    )


@pytest.fixture
async def client(sim: Sim, waits: Waits) -> AsyncIterator[AihcClient]:
    """The bot's client on the demo world."""
    async with _client(sim, waits) as aihc:
        yield aihc


async def _faults(sim: Sim, **settings: float) -> None:
    assert (await sim.ctl.put("/_sim/faults", json=settings)).status_code == 200
    assert (await sim.ctl.post("/_sim/stats/reset", json={})).status_code == 200


async def _stats(sim: Sim) -> dict[str, Any]:
    stats: dict[str, Any] = (await sim.ctl.get("/_sim/stats")).json()
    return stats


async def test_reads_ride_out_server_errors(sim: Sim, client: AihcClient) -> None:
    await _faults(sim, error_rate=0.4, error_status=503)
    pools = await client.all_pools()
    for pool in pools:
        for job in await client.all_jobs(pool.id):
            await client.get_job(pool.id, job.id)
    stats = await _stats(sim)
    assert stats["statuses"]["503"] > 0
    assert len(pools) == 2


async def test_throttling_is_retried_after_the_time_it_asks(
    sim: Sim, client: AihcClient, waits: Waits
) -> None:
    await _faults(sim, throttle_rate=0.5)
    for _ in range(10):
        assert len(await client.all_pools()) == 2
    assert (await _stats(sim))["statuses"]["429"] > 0
    assert waits.seconds
    assert set(waits.seconds) == {1.0}


async def test_dropped_connections_are_retried_and_writes_stay_single(
    sim: Sim, client: AihcClient
) -> None:
    pool_id = next(p.id for p in await client.all_pools() if p.name == "llm-a800-pool")
    await _faults(sim, drop_rate=0.5)
    for _ in range(10):
        await client.all_jobs(pool_id)
    assert (await _stats(sim))["statuses"].get("dropped", 0) > 0
    spec = JobSpec(name="dropped-maybe", image="img", command="true")
    refs = [await client.create_job(pool_id, spec, client_token="tok-drop") for _ in range(4)]
    assert len({r.job_id for r in refs}) == 1
    await _faults(sim)
    named = [j for j in await client.all_jobs(pool_id) if j.name == "dropped-maybe"]
    assert len(named) == 1


async def test_added_latency_only_slows_calls(sim: Sim, client: AihcClient) -> None:
    await _faults(sim, latency_ms=30)
    assert len(await client.all_pools()) == 2
    assert (await _stats(sim))["statuses"] == {"200": 1}


async def test_a_client_error_is_not_retried(sim: Sim, client: AihcClient) -> None:
    await _faults(sim, error_rate=1.0, error_status=400)
    with pytest.raises(AihcBadRequest):
        await client.list_pools()
    assert (await _stats(sim))["total"] == 1


async def test_server_errors_give_up_after_the_retry_budget(sim: Sim, client: AihcClient) -> None:
    await _faults(sim, error_rate=1.0)
    with pytest.raises(AihcServerError) as raised:
        await client.list_pools()
    assert raised.value.code == "InternalError"
    assert raised.value.request_id
    assert (await _stats(sim))["total"] == raised.value.attempts == 4


async def test_an_expired_signature_is_signed_afresh(sim: Sim, waits: Waits) -> None:
    def times() -> Iterator[datetime]:
        yield datetime.now(UTC) - timedelta(hours=3)
        while True:
            yield datetime.now(UTC)

    stamps = times()
    async with _client(sim, waits, clock=lambda: next(stamps)) as stale_first:
        pools = await stale_first.all_pools()
    assert len(pools) == 2
    stats = await _stats(sim)
    assert stats["statuses"] == {"200": 1, "400": 1}


async def test_stopping_twice_reports_the_refusal(sim: Sim, client: AihcClient) -> None:
    pool_id = next(p.id for p in await client.all_pools() if p.name == "llm-a800-pool")
    job = next(j for j in await client.all_jobs(pool_id) if j.status is JobStatus.RUNNING)
    await client.stop_job(pool_id, job.id)
    with pytest.raises(AihcBadRequest) as raised:
        await client.stop_job(pool_id, job.id)
    assert raised.value.code == "cce.warning.StopAIJobFailed"
