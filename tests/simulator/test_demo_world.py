"""The demo world shows one job of each kind within its first two minutes."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.simulator.conftest import START, Sim
from tests.simulator.training import (
    DS_STEP,
    HF_BAR,
    HF_LOGS,
    MEGATRON,
    detail,
    gpu_usage,
    rank0_log,
)

_TWO_MINUTES = 120.0


async def test_megatron_hf_and_deepspeed_runs_make_progress(sim: Sim) -> None:
    shapes = {
        "llama2-13b-pretrain-7": MEGATRON,
        "qwen-7b-sft-lora-4": HF_LOGS,
        "llama2-13b-rlhf-1": DS_STEP,
    }
    before = {}
    for name, shape in shapes.items():
        lines = await rank0_log(sim, await sim.job_named(name), maxLines=40)
        before[name] = [line for line in lines if shape.match(line)]
        assert before[name], name
    bars = await rank0_log(sim, await sim.job_named("qwen-7b-sft-lora-4"), maxLines=4)
    assert any(HF_BAR.match(line.split("\r")[-1]) for line in bars if "\r" in line)
    await sim.advance(_TWO_MINUTES)
    for name, shape in shapes.items():
        job = await sim.job_named(name)
        assert await sim.status(job) == "Running"
        lines = await rank0_log(sim, job, maxLines=40)
        assert [line for line in lines if shape.match(line)][-1] != before[name][-1], name


async def test_one_job_has_been_hung_for_over_half_an_hour(sim: Sim) -> None:
    job = await sim.job_named("llama2-70b-pretrain-3")
    lines = await rank0_log(sim, job, maxLines=20)
    last = [m for m in map(MEGATRON.match, lines) if m][-1]
    stamp = datetime.strptime(last.string[2:21], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert START - stamp.timestamp() >= 30 * 60
    assert set(await gpu_usage(sim, job, START - 30 * 60)) == {0.0}
    await sim.advance(_TWO_MINUTES)
    assert await sim.status(job) == "Running"
    assert await rank0_log(sim, job, maxLines=20) == lines


async def test_one_job_idles_for_over_an_hour_while_it_logs(sim: Sim) -> None:
    job = await sim.job_named("vit-h14-pretrain-5")
    before = await rank0_log(sim, job, maxLines=10)
    idle = await gpu_usage(sim, job, START - 60 * 60)
    assert len(idle) >= 60
    assert max(idle) < 5
    await sim.advance(_TWO_MINUTES)
    assert await rank0_log(sim, job, maxLines=10) != before
    assert max(await gpu_usage(sim, job, START)) < 5


async def test_one_job_restarts_by_fault_tolerance_and_says_why(sim: Sim) -> None:
    job = await sim.job_named("llama2-7b-dpo-5")
    assert {p["restartCount"] for p in (await detail(sim, job))["podList"]["pods"]} == {0}
    await sim.advance(_TWO_MINUTES)
    assert await sim.status(job) == "Running"
    assert {p["restartCount"] for p in (await detail(sim, job))["podList"]["pods"]} == {1}
    events = (
        await sim.api.get(
            f"/api/v1/aijobs/{job['jobId']}/events",
            params={"resourcePoolId": job["resourcePoolId"], "jobFramework": "PyTorchJob"},
        )
    ).json()["events"]
    assert any(e["reason"] == "Error" and "NCCL timeout" in e["message"] for e in events)
    assert "JobRestarting" in {e["reason"] for e in events}


async def test_one_job_waits_in_a_queue_whose_quota_is_all_taken(sim: Sim) -> None:
    job = await sim.job_named("llama2-13b-rlhf-2")
    assert await sim.status(job) == "Pending"
    response = await sim.api.get(
        f"/api/v1/resourcepools/{job['resourcePoolId']}/queue/{job['queue']}"
    )
    queue = response.json()["result"]["queue"]
    gpu = "baidu.com/a800_80g_cgpu"
    assert queue["allocated"][gpu] == queue["capability"][gpu] == "16"
    await sim.advance(_TWO_MINUTES)
    assert await sim.status(job) == "Pending"
