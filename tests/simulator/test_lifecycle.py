"""Jobs live on the simulated clock: they queue, start, run, restart, fail, succeed and stop."""

from __future__ import annotations

from typing import Any

from bot.simulator.create import OUTCOME_LABEL
from tests.simulator.conftest import Sim, job_request

ORDER = ["Created", "Pending", "Scheduled", "Starting", "Running"]


async def _history(sim: Sim, job_id: str) -> list[str]:
    body = (await sim.ctl.get(f"/_sim/jobs/{job_id}/history")).json()
    return [step["status"] for step in body["history"]]


async def _created(sim: Sim, name: str, outcome: str, **extra: Any) -> dict[str, Any]:
    pool = next(iter((await sim.pools()).values()))
    labels = [{"key": OUTCOME_LABEL, "value": outcome}]
    response = await sim.api.post(
        "/api/v1/aijobs",
        params={"resourcePoolId": pool},
        json=job_request(name, labels=labels, **extra),
    )
    assert response.status_code == 200, response.text
    return {**response.json()["result"], "resourcePoolId": pool}


async def test_a_job_walks_every_stage_to_success(empty_sim: Sim) -> None:
    job = await _created(empty_sim, "walker", "succeeded")
    seen = [await empty_sim.status(job)]
    for _ in range(200):
        await empty_sim.advance(1)
        status = await empty_sim.status(job)
        if status != seen[-1]:
            seen.append(status)
        if status == "Running":
            break
    assert seen == ORDER
    await empty_sim.advance(6_000)
    seen.append(await empty_sim.status(job))
    assert seen == [*ORDER, "Succeeded"]
    assert await _history(empty_sim, job["jobId"]) == seen
    listed = (await empty_sim.jobs(job["resourcePoolId"]))[0]
    assert listed["finishedAt"] >= listed["createdAt"]


async def test_history_times_follow_the_simulated_clock(empty_sim: Sim) -> None:
    job = await _created(empty_sim, "timed", "running")
    await empty_sim.advance(3_600)
    body = (await empty_sim.ctl.get(f"/_sim/jobs/{job['jobId']}/history")).json()
    epochs = [step["epoch"] for step in body["history"]]
    assert epochs == sorted(epochs)
    assert body["history"][0]["time"] == "2025-06-15T15:06:40Z"
    assert [s["status"] for s in body["history"]] == ORDER


async def test_an_out_of_memory_run_fails_with_its_traceback_and_events(empty_sim: Sim) -> None:
    job = await _created(empty_sim, "oom", "cuda_oom")
    await empty_sim.advance(4 * 3_600)
    assert await empty_sim.status(job) == "Failed"
    params = {"resourcePoolId": job["resourcePoolId"], "jobFramework": "PyTorchJob"}
    events = (
        await empty_sim.api.get(f"/api/v1/aijobs/{job['jobId']}/events", params=params)
    ).json()
    reasons = {e["reason"]: e for e in events["events"]}
    assert {"JobFailed", "ExitedWithCode", "Error", "JobTerminated"} <= set(reasons)
    assert reasons["Error"]["type"] == "Warning"
    assert reasons["ExitedWithCode"]["count"] == 2
    logs = await empty_sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}/pods/oom-master-0/logs",
        params={"resourcePoolId": job["resourcePoolId"], "maxLines": 20},
    )
    text = logs.json()["result"]["logs"][0]
    assert "Traceback (most recent call last):" in text
    assert "torch.cuda.OutOfMemoryError: CUDA out of memory." in text


async def test_fault_tolerance_restarts_a_running_job(sim: Sim) -> None:
    job = await sim.job_named("llama2-7b-dpo-5")
    assert job["enableFaultTolerance"] is True
    assert await sim.status(job) == "Running"
    await sim.advance(21)
    # For a few seconds AIHC says Failed without a finishedAt: not final yet.
    failed = await sim.job_named("llama2-7b-dpo-5")
    assert failed["status"] == "Failed"
    assert failed["finishedAt"] == ""
    await sim.advance(10)
    assert await sim.status(job) == "Restarting"
    await sim.advance(60)
    assert await sim.status(job) == "Running"
    history = await _history(sim, job["jobId"])
    assert history[-4:] == ["Running", "Failed", "Restarting", "Running"]
    detail = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}", params={"resourcePoolId": job["resourcePoolId"]}
    )
    assert detail.json()["result"]["podList"]["pods"][0]["restartCount"] == 1
    params = {"resourcePoolId": job["resourcePoolId"], "jobFramework": "PyTorchJob"}
    events = (await sim.api.get(f"/api/v1/aijobs/{job['jobId']}/events", params=params)).json()
    reasons = {e["reason"] for e in events["events"]}
    assert "JobRestarting" in reasons
    assert "JobFailed" not in reasons
    running = {e["message"]: e["count"] for e in events["events"] if e["reason"] == "JobRunning"}
    assert list(running.values()) == [2]


async def test_a_failed_fault_tolerant_job_says_fault_tolerance_could_not_start(sim: Sim) -> None:
    job = await sim.job_named("mixtral-8x7b-pretrain-2")
    await sim.advance(35)
    assert await sim.status(job) == "Failed"
    params = {"resourcePoolId": job["resourcePoolId"], "jobFramework": "PyTorchJob"}
    events = (await sim.api.get(f"/api/v1/aijobs/{job['jobId']}/events", params=params)).json()
    warnings = {e["reason"] for e in events["events"] if e["type"] == "Warning"}
    assert "FailedToStartFaultTolerance" in warnings
    logs = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}/pods/mixtral-8x7b-pretrain-2-worker-0/logs",
        params={"resourcePoolId": job["resourcePoolId"]},
    )
    assert "Watchdog caught collective operation timeout" in logs.json()["result"]["logs"][0]


async def test_an_image_that_cannot_be_pulled_backs_off_then_fails(sim: Sim) -> None:
    job = await sim.job_named("qwen-14b-eval-2")
    assert await sim.status(job) == "Starting"
    await sim.advance(30)
    params = {"resourcePoolId": job["resourcePoolId"], "jobFramework": "PyTorchJob"}
    path = f"/api/v1/aijobs/{job['jobId']}/pods/qwen-14b-eval-2-master-0/events"
    events = (await sim.api.get(path, params=params)).json()["events"]
    backoff = next(e for e in events if e["reason"] == "BackOff")
    assert backoff["count"] >= 2
    assert backoff["firstTimestamp"] < backoff["lastTimestamp"]
    assert any(e["message"] == "Error: ImagePullBackOff" for e in events)
    await sim.advance(120)
    assert await sim.status(job) == "Failed"


async def test_forcing_a_failure_writes_its_reason_into_events_and_logs(sim: Sim) -> None:
    job = await sim.job_named("llama2-13b-pretrain-7")
    forced = await sim.ctl.post(
        f"/_sim/jobs/{job['jobId']}/status",
        json={"status": "Failed", "reason": "loss became NaN", "exitCode": 3},
    )
    assert forced.json()["status"] == "Failed"
    assert await sim.status(job) == "Failed"
    params = {"resourcePoolId": job["resourcePoolId"], "jobFramework": "PyTorchJob"}
    events = (await sim.api.get(f"/api/v1/aijobs/{job['jobId']}/events", params=params)).json()
    error = next(e for e in events["events"] if e["reason"] == "Error")
    assert "exitCode: 3" in error["message"]
    logs = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}/pods/llama2-13b-pretrain-7-master-0/logs",
        params={"resourcePoolId": job["resourcePoolId"], "maxLines": 5},
    )
    assert "RuntimeError: loss became NaN" in logs.json()["result"]["logs"][0]


async def test_the_demo_keeps_changing_within_a_minute(sim: Sim) -> None:
    async def snapshot() -> dict[str, str]:
        out: dict[str, str] = {}
        for pool in (await sim.pools()).values():
            out.update({j["name"]: j["status"] for j in await sim.jobs(pool)})
        return out

    before = await snapshot()
    assert {
        "Created",
        "Pending",
        "Scheduled",
        "Starting",
        "Running",
        "Succeeded",
        "Failed",
        "ManualTermination",
    } <= set(before.values())
    await sim.advance(60)
    after = await snapshot()
    changed = [name for name in before if after.get(name) != before[name]]
    assert len(changed) >= 8
    await sim.advance(600)
    assert len(await snapshot()) > len(after)


async def test_raising_a_queued_jobs_priority_schedules_it_soon(empty_sim: Sim) -> None:
    job = await _created(empty_sim, "vip", "running")
    await empty_sim.advance(4)
    assert await empty_sim.status(job) == "Pending"
    path, params = f"/api/v1/aijobs/{job['jobId']}", {"resourcePoolId": job["resourcePoolId"]}
    await empty_sim.api.put(path, params=params, json={"priority": "high"})
    await empty_sim.advance(3)
    assert await empty_sim.status(job) == "Scheduled"


async def test_lowering_a_queued_jobs_priority_keeps_it_waiting(empty_sim: Sim) -> None:
    job = await _created(empty_sim, "patient", "running")
    await empty_sim.advance(4)
    path, params = f"/api/v1/aijobs/{job['jobId']}", {"resourcePoolId": job["resourcePoolId"]}
    await empty_sim.api.put(path, params=params, json={"priority": "low"})
    await empty_sim.advance(60)
    assert await empty_sim.status(job) == "Pending"
    await empty_sim.advance(600)
    assert await empty_sim.status(job) == "Running"


async def test_an_image_pull_failure_leaves_a_log_line_saying_so(sim: Sim) -> None:
    job = await sim.job_named("qwen-14b-eval-2")
    await sim.advance(5)
    response = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}/pods/qwen-14b-eval-2-master-0/logs",
        params={"resourcePoolId": job["resourcePoolId"]},
    )
    assert "trying and failing to pull image" in response.json()["result"]["logs"][0]
