"""The control API takes the logs that hostile-log tests and benchmarks need, and stays bounded."""

from __future__ import annotations

from tests.simulator.conftest import Sim

POD = "llama2-13b-pretrain-7-master-0"


async def _append(sim: Sim, job_id: str, lines: list[str]) -> int:
    response = await sim.ctl.post(f"/_sim/jobs/{job_id}/logs", json={"pod": POD, "lines": lines})
    assert response.status_code == 200, response.text[:200]
    appended: int = response.json()["appended"]
    return appended


async def test_a_mebibyte_line_with_carriage_returns_comes_back_as_printed(sim: Sim) -> None:
    job = await sim.job_named("llama2-13b-pretrain-7")
    bar = "\r".join(f"{p:3d}%|{'█' * (p // 10):<10}|" for p in range(0, 101, 10))
    huge = "x" * (1 << 20)
    assert await _append(sim, job["jobId"], [huge, bar, huge]) == 3
    response = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}/pods/{POD}/logs",
        params={"resourcePoolId": job["resourcePoolId"], "maxLines": 3},
    )
    assert response.json()["result"]["logs"] == [f"{huge}\n{bar}\n{huge}\n"]


async def test_a_pods_appended_lines_are_bounded_oldest_first(sim: Sim) -> None:
    job = await sim.job_named("llama2-13b-pretrain-7")
    for batch in range(12):
        await _append(sim, job["jobId"], [f"b{batch} {i}" for i in range(1000)])
    pod_log = sim.running.simulator.world.jobs[job["jobId"]].extra_logs[POD]
    assert len(pod_log) == 10_000
    assert pod_log[0][1] == "b2 0"
    assert pod_log[-1][1] == "b11 999"
