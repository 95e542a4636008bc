"""Helpers for the training-behaviour tests: the log shapes of each style, and quick reads."""

from __future__ import annotations

import re
from typing import Any

from bot.domain import MetricType
from bot.simulator.create import OUTCOME_LABEL
from bot.simulator.trainlogs import STYLE_LABEL
from tests.simulator.conftest import Sim, job_request

MEGATRON = re.compile(
    r"^ \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] iteration +(?P<step>\d+)/ +(?P<total>\d+) \| "
    r"consumed samples: +\d+ \| elapsed time per iteration \(ms\): \d+\.\d \| "
    r"learning rate: \d\.\d{3}E[+-]\d\d \| global batch size: +128 \| "
    r"lm loss: (?P<loss>\d\.\d{6}E[+-]\d\d) \| loss scale: \d+\.\d \| grad norm: \d+\.\d{3} \| "
    r"number of skipped iterations: +0 \| number of nan iterations: +0 \|"
)
HF_BAR = re.compile(
    r"^ {0,2}(?P<pct>\d{1,3})%\|[ ▏▎▍▌▋▊▉█]{10}\| (?P<step>\d+)/(?P<total>\d+) "
    r"\[(?:\d+:)?\d\d:\d\d<(?:\d+:)?\d\d:\d\d, +\d+\.\d\d(?:s/it|it/s)\]$"
)
HF_LOGS = re.compile(
    r"^\{'loss': (?P<loss>\d+\.\d+), 'grad_norm': \d+\.\d+, "
    r"'learning_rate': \d\.\d+(?:e-\d\d)?, 'epoch': \d+\.\d+\}$"
)
_DS_HEAD = r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] \[INFO\] "
DS_STEP = re.compile(
    _DS_HEAD + r"\[logging\.py:96:log_dist\] \[Rank 0\] step=(?P<step>\d+), skipped=0, "
    r"lr=\[[\d.e-]+, [\d.e-]+\], mom=\[\(0\.9, 0\.95\), \(0\.9, 0\.95\)\]$"
)
DS_SPEED = re.compile(
    _DS_HEAD + r"\[timer\.py:260:stop\] epoch=0/micro_step=(?P<step>\d+)/global_step=\d+, "
    r"RunningAvgSamplesPerSec=\d+\.\d+, CurrSamplesPerSec=\d+\.\d+, "
    r"MemAllocated=\d+\.\d+GB, MaxMemAllocated=\d+\.\d+GB$"
)
DS_LOSS = re.compile(r"^Epoch: 0, Step: (?P<step>\d+), Rank: 0, loss = (?P<loss>\d+\.\d{4})$")


async def pool_id(sim: Sim, name: str = "aihc-pool") -> str:
    """Return the id of the pool named `name`."""
    return (await sim.pools())[name]


async def create_running(sim: Sim, name: str, style: str | None = None, **spec: str) -> str:
    """Create a job that runs until stopped (in `style` when given); return its id."""
    labels = [{"key": OUTCOME_LABEL, "value": "running"}]
    if style is not None:
        labels.append({"key": STYLE_LABEL, "value": style})
    body = job_request(name, labels=labels)
    body["jobSpec"].update(spec)
    pool = await pool_id(sim)
    response = await sim.api.post("/api/v1/aijobs", params={"resourcePoolId": pool}, json=body)
    assert response.status_code == 200, response.text
    job_id: str = response.json()["result"]["jobId"]
    return job_id


async def detail(sim: Sim, job: dict[str, Any]) -> dict[str, Any]:
    """Return the job's detail."""
    response = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}", params={"resourcePoolId": job["resourcePoolId"]}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


async def rank0_log(sim: Sim, job: dict[str, Any], **params: Any) -> list[str]:
    """Return rank 0's log lines (the first page of them when the answer is paged)."""
    pod = f"{job['name']}-master-0"
    response = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}/pods/{pod}/logs",
        params={"resourcePoolId": job["resourcePoolId"], **params},
    )
    assert response.status_code == 200, response.text
    # Split on newlines only: a tqdm line holds carriage returns (`splitlines` would cut there).
    return "".join(response.json()["result"]["logs"]).removesuffix("\n").split("\n")


async def gpu_usage(sim: Sim, job: dict[str, Any], since: float) -> list[float]:
    """Return every pod's GPU utilisation samples (one a minute) from `since` on."""
    response = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}/metrics",
        params={
            "resourcePoolId": job["resourcePoolId"],
            "metricType": MetricType.GPU_USAGE.value,
            "startTime": int(since),
            "timeStep": "60s",
        },
    )
    assert response.status_code == 200, response.text
    pods = response.json()["result"]["podMetrics"]
    return [p["value"] for pod in pods for p in pod["metrics"] if p["value"] is not None]


async def behave(sim: Sim, job: dict[str, Any], body: object) -> dict[str, Any]:
    """Post a behaviour change; return the answer's body (asserting it was accepted)."""
    response = await sim.ctl.post(f"/_sim/jobs/{job['jobId']}/behaviour", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer
