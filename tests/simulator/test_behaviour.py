"""POST /_sim/jobs/{id}/behaviour: a job hangs, idles or restarts, and logs, metrics follow."""

from __future__ import annotations

from typing import Any

from tests.simulator.conftest import START, Sim
from tests.simulator.training import MEGATRON, behave, detail, gpu_usage, rank0_log

_NAME = "llama2-13b-pretrain-7"


def _last_step(lines: list[str]) -> int:
    steps = [int(m["step"]) for m in map(MEGATRON.match, lines) if m]
    assert steps, lines
    return steps[-1]


async def _job(sim: Sim) -> dict[str, Any]:
    return await sim.job_named(_NAME)


async def test_a_hung_job_stops_logging_and_its_gpus_drop_to_zero(sim: Sim) -> None:
    job = await _job(sim)
    before = await rank0_log(sim, job, maxLines=20)
    answer = await behave(sim, job, {"hang": True})
    assert answer["hang"] is True
    assert answer["status"] == "Running"
    await sim.advance(1800)
    assert await rank0_log(sim, job, maxLines=20) == before
    assert await sim.status(job) == "Running"
    hung = await gpu_usage(sim, job, START + 60)
    assert hung
    assert set(hung) == {0.0}
    assert min(await gpu_usage(sim, job, START - 600)) == 0.0
    assert max(await gpu_usage(sim, job, START - 600)) > 50

    stuck_at = _last_step(before)
    assert (await behave(sim, job, {"hang": False}))["hang"] is False
    await sim.advance(120)
    resumed = await rank0_log(sim, job, maxLines=200)
    steps = [int(m["step"]) for m in map(MEGATRON.match, resumed) if m]
    assert steps[-1] > stuck_at
    assert stuck_at + 1 in steps  # training goes on from the step it hung at
    assert min(await gpu_usage(sim, job, START + 1800 + 60)) > 50


async def test_an_idle_job_keeps_logging_with_its_gpus_near_zero(sim: Sim) -> None:
    job = await _job(sim)
    before = _last_step(await rank0_log(sim, job, maxLines=20))
    await behave(sim, job, {"idle": True})
    await sim.advance(900)
    assert _last_step(await rank0_log(sim, job, maxLines=20)) > before
    idle = await gpu_usage(sim, job, START + 60)
    assert idle
    assert max(idle) < 5
    answer = await behave(sim, job, {"idle": False})
    assert answer["idle"] is False
    await sim.advance(300)
    assert min(await gpu_usage(sim, job, START + 960)) > 50


async def test_a_restart_counts_on_the_pods_tells_why_and_training_resumes(sim: Sim) -> None:
    job = await _job(sim)
    pods = (await detail(sim, job))["podList"]["pods"]
    counts = [p["restartCount"] for p in pods]
    before = _last_step(await rank0_log(sim, job, maxLines=20))
    answer = await behave(sim, job, {"restart": "NCCL timeout"})
    assert answer["restartCount"] == counts[0] + 1
    assert await sim.status(job) == "Failed"
    await sim.advance(10)
    assert await sim.status(job) == "Restarting"
    await sim.advance(120)
    assert await sim.status(job) == "Running"
    pods = (await detail(sim, job))["podList"]["pods"]
    assert [p["restartCount"] for p in pods] == [c + 1 for c in counts]
    events = (
        await sim.api.get(
            f"/api/v1/aijobs/{job['jobId']}/events",
            params={"resourcePoolId": job["resourcePoolId"], "jobFramework": "PyTorchJob"},
        )
    ).json()["events"]
    reasons = {(e["reason"], e["type"]) for e in events if "NCCL timeout" in e["message"]}
    assert ("Error", "Warning") in reasons
    assert "JobRestarting" in {e["reason"] for e in events}
    log = await rank0_log(sim, job, startTime=int(START) - 5)
    assert "RuntimeError: NCCL timeout" in log
    assert any(line.startswith("[FT] fault detected on ") for line in log)
    assert _last_step(log) > before


async def test_hang_and_idle_refuse_a_job_that_is_not_running(sim: Sim) -> None:
    done = await sim.job_named("llama2-13b-sft-1")
    for body in ({"hang": True}, {"idle": True}, {"restart": "Xid 79"}):
        response = await sim.ctl.post(f"/_sim/jobs/{done['jobId']}/behaviour", json=body)
        assert response.status_code == 409, body
        assert "Succeeded" in response.json()["message"]
    ended = await sim.ctl.post(f"/_sim/jobs/{done['jobId']}/behaviour", json={"hang": False})
    assert ended.status_code == 200


async def test_bad_bodies_are_refused_with_a_clear_message(sim: Sim) -> None:
    job = await _job(sim)
    path = f"/_sim/jobs/{job['jobId']}/behaviour"
    for body, words in (
        ({"sleep": True}, "unknown key 'sleep'"),
        ({}, "at least one of hang, idle or restart"),
        ({"hang": "yes"}, "hang must be true or false"),
        ({"idle": 1}, "idle must be true or false"),
        ({"hang": None}, "hang must be true or false"),
        ({"restart": ""}, "restart must be the restart's cause"),
        ({"restart": 3}, "restart must be the restart's cause"),
        ({"restart": "x" * 501}, "restart must be the restart's cause"),
        ([True], "JSON object"),
    ):
        response = await sim.ctl.post(path, json=body)
        assert response.status_code == 400, body
        assert words in response.json()["message"], body
    missing = await sim.ctl.post("/_sim/jobs/pytorchjob-nope/behaviour", json={"hang": True})
    assert missing.status_code == 404
    unsigned = await sim.api.post(path, json={"hang": True})
    assert unsigned.status_code == 403
    assert await sim.status(job) == "Running"
    assert (await behave(sim, job, {"hang": False}))["hang"] is False
