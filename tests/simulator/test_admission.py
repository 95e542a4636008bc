"""A queue whose GPU quota is used up keeps new jobs Pending until its running jobs free it."""

from __future__ import annotations

from typing import Any

from bot.simulator.create import OUTCOME_LABEL
from tests.simulator.conftest import Sim, job_request

GPU = "baidu.com/a800_80g_cgpu"


async def _queue(sim: Sim, pool: str, name: str, **quotas: Any) -> None:
    body = {"name": name, "queueType": "Regular", **quotas}
    response = await sim.api.post(f"/api/v1/resourcepools/{pool}/queue", json=body)
    assert response.status_code == 200, response.text


async def _job(sim: Sim, pool: str, name: str, queue: str, **extra: Any) -> dict[str, Any]:
    labels = [{"key": OUTCOME_LABEL, "value": "running"}]
    body = job_request(name, queue=queue, labels=labels, **extra)
    response = await sim.api.post("/api/v1/aijobs", params={"resourcePoolId": pool}, json=body)
    assert response.status_code == 200, response.text
    return {**response.json()["result"], "resourcePoolId": pool}


async def _stop(sim: Sim, job: dict[str, Any]) -> None:
    path = f"/api/v1/aijobs/{job['jobId']}/stop"
    response = await sim.api.post(path, params={"resourcePoolId": job["resourcePoolId"]})
    assert response.status_code == 200, response.text


async def test_a_full_queue_keeps_new_jobs_pending_until_gpus_free(empty_sim: Sim) -> None:
    pool = next(iter((await empty_sim.pools()).values()))
    await _queue(empty_sim, pool, "tiny", capability={GPU: 16}, deserved={GPU: 16})
    first = await _job(empty_sim, pool, "first", "tiny")
    await empty_sim.advance(600)
    assert await empty_sim.status(first) == "Running"
    second = await _job(empty_sim, pool, "second", "tiny")
    await empty_sim.advance(3_600)
    assert await empty_sim.status(second) == "Pending"
    await _stop(empty_sim, first)
    await empty_sim.advance(600)
    assert await empty_sim.status(second) == "Running"


async def test_oversell_disabled_stops_a_queue_at_its_deserved_share(empty_sim: Sim) -> None:
    pool = next(iter((await empty_sim.pools()).values()))
    quotas = {"capability": {GPU: 32}, "deserved": {GPU: 16}, "disableOversell": True}
    await _queue(empty_sim, pool, "strict", **quotas)
    await _queue(empty_sim, pool, "lender", capability={GPU: 32}, deserved={GPU: 16})
    first = await _job(empty_sim, pool, "strict-1", "strict")
    second = await _job(empty_sim, pool, "strict-2", "strict")
    borrowed = [await _job(empty_sim, pool, f"lender-{i}", "lender") for i in (1, 2)]
    await empty_sim.advance(600)
    assert await empty_sim.status(first) == "Running"
    assert await empty_sim.status(second) == "Pending"
    assert [await empty_sim.status(job) for job in borrowed] == ["Running", "Running"]


async def test_higher_priority_goes_first_when_gpus_free(empty_sim: Sim) -> None:
    pool = next(iter((await empty_sim.pools()).values()))
    await _queue(empty_sim, pool, "tiny", capability={GPU: 16})
    holder = await _job(empty_sim, pool, "holder", "tiny")
    await empty_sim.advance(600)
    normal = await _job(empty_sim, pool, "normal-one", "tiny")
    high = await _job(empty_sim, pool, "high-one", "tiny", priority="high")
    await empty_sim.advance(60)
    await _stop(empty_sim, holder)
    await empty_sim.advance(600)
    assert await empty_sim.status(high) == "Running"
    assert await empty_sim.status(normal) == "Pending"


async def test_a_queue_without_a_gpu_quota_admits_everything(empty_sim: Sim) -> None:
    pool = next(iter((await empty_sim.pools()).values()))
    jobs = [await _job(empty_sim, pool, f"free-{i}", "default") for i in range(4)]
    await empty_sim.advance(600)
    assert [await empty_sim.status(job) for job in jobs] == ["Running"] * 4
