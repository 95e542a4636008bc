"""The simulator answers with the fields the live service sends, and the client reads them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.aihc.client import AihcClient
from bot.domain import JobFramework, JobStatus
from tests.simulator.conftest import Sim, running_sim


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    """The demo world in live shapes, whatever shapes the run chose: these tests are about them."""
    async with running_sim(shapes="live") as running:
        yield running


async def test_failed_pods_say_why_and_jobs_say_when_they_ran(sim: Sim, client: AihcClient) -> None:
    raw = await sim.job_named("llama2-13b-pretrain-7")
    await sim.advance(3600)
    forced = await sim.ctl.post(f"/_sim/jobs/{raw['jobId']}/status", json={"status": "Failed"})
    assert forced.status_code == 200, forced.text
    job = await client.get_job(raw["resourcePoolId"], raw["jobId"])
    assert job.status is JobStatus.FAILED
    assert job.framework is JobFramework.PYTORCH
    detail = await sim.api.get(
        f"/api/v1/aijobs/{raw['jobId']}", params={"resourcePoolId": raw["resourcePoolId"]}
    )
    assert detail.json()["result"]["jobFramework"] == "pytorch"
    assert job.running_at is not None
    assert job.scheduled_at is not None
    assert job.created_at is not None
    assert job.finished_at is not None
    assert job.created_at <= job.scheduled_at <= job.running_at <= job.finished_at
    assert job.ended_pods
    assert all(
        pod.reason == "Error" and pod.finished_at == job.finished_at for pod in job.ended_pods
    )


async def test_nodes_carry_capacity_and_the_gpu_resource_name(sim: Sim, client: AihcClient) -> None:
    pool_id = next(iter((await sim.pools()).values()))
    nodes = await client.all_nodes(pool_id)
    assert nodes
    assert all(node.gpu_descriptor.startswith("baidu.com/") for node in nodes)
    assert all(node.cpu_total and node.memory_total for node in nodes)
