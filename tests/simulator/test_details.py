"""Logs, events, metrics, job nodes and web terminals, with the document's parameters."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from bot.domain import MetricType
from tests.simulator.conftest import START, Sim

GO_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$")


def _iteration(line: str) -> int:
    found = re.search(r"iteration\s+(\d+)/", line)
    assert found, line
    return int(found[1])


async def _running(sim: Sim) -> dict[str, Any]:
    return await sim.job_named("llama2-13b-pretrain-7")


def _params(job: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"resourcePoolId": job["resourcePoolId"], **extra}


async def _logs(sim: Sim, job: dict[str, Any], pod: str, **params: Any) -> list[str]:
    path = f"/api/v1/aijobs/{job['jobId']}/pods/{pod}/logs"
    response = await sim.api.get(path, params=_params(job, **params))
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["podName"] == pod
    logs: list[str] = result["logs"]
    return logs


async def test_logs_tail_grows_and_shows_training_progress(sim: Sim) -> None:
    job = await _running(sim)
    pod = "llama2-13b-pretrain-7-master-0"
    tail = (await _logs(sim, job, pod, maxLines=5))[0].splitlines()
    assert len(tail) == 5
    assert all("iteration" in line for line in tail if "checkpoint" not in line)
    assert "lm loss:" in tail[-1]
    assert "throughput (token/sec/GPU)" in tail[-1]
    await sim.advance(120)
    later = (await _logs(sim, job, pod, maxLines=5))[0].splitlines()
    assert later[-1] != tail[-1]
    assert _iteration(later[-1]) > _iteration(tail[-1])


async def test_logs_honour_start_time_and_chunk(sim: Sim) -> None:
    job = await _running(sim)
    pod = "llama2-13b-pretrain-7-master-0"
    recent = (await _logs(sim, job, pod, startTime=int(START) - 30))[0].splitlines()
    assert 3 <= len(recent) <= 20
    chunks = await _logs(sim, job, pod, startTime=int(START) - 60, chunk=4)
    assert all(len(c.splitlines()) <= 4 for c in chunks)
    assert len(chunks) >= 2
    everything = (await _logs(sim, job, pod))[0].splitlines()
    assert "checkpoint" in "\n".join(everything)
    assert "NCCL INFO" in "\n".join(everything[:20])


async def test_appended_lines_come_back_in_the_pods_log(sim: Sim) -> None:
    job = await _running(sim)
    pod = "llama2-13b-pretrain-7-worker-0"
    lines = ["<!channel> custom line", "second line"]
    appended = await sim.ctl.post(
        f"/_sim/jobs/{job['jobId']}/logs", json={"pod": pod, "lines": lines}
    )
    assert appended.json()["appended"] == 2
    tail = (await _logs(sim, job, pod, maxLines=2))[0].splitlines()
    assert tail == lines


async def test_a_job_not_yet_running_has_no_log_and_unknown_pods_are_404(sim: Sim) -> None:
    job = await sim.job_named("llama2-7b-pretrain-9")
    assert await _logs(sim, job, "llama2-7b-pretrain-9-master-0") == []
    missing = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}/pods/nobody-master-0/logs", params=_params(job)
    )
    assert missing.status_code == 404


async def test_events_are_bare_go_timestamped_and_windowed(sim: Sim) -> None:
    job = await _running(sim)
    path = f"/api/v1/aijobs/{job['jobId']}/events"
    body = (await sim.api.get(path, params=_params(job, jobFramework="PyTorchJob"))).json()
    assert set(body) == {"events", "total"}
    assert body["total"] == len(body["events"]) > 0
    assert all(GO_TIME.match(e["firstTimestamp"]) for e in body["events"])
    assert set(body["events"][0]) == {
        "reason",
        "message",
        "firstTimestamp",
        "lastTimestamp",
        "count",
        "type",
    }
    early = (
        await sim.api.get(path, params=_params(job, jobFramework="PyTorchJob", endTime=0))
    ).json()
    assert early == {"events": [], "total": 0}
    missing = await sim.api.get(path, params=_params(job))
    assert missing.status_code == 400


async def test_pod_events_tell_the_pods_story(sim: Sim) -> None:
    job = await _running(sim)
    path = f"/api/v1/aijobs/{job['jobId']}/pods/llama2-13b-pretrain-7-master-0/events"
    events = (await sim.api.get(path, params=_params(job, jobFramework="PyTorchJob"))).json()[
        "events"
    ]
    reasons = [e["reason"] for e in events]
    assert {"Scheduled", "Pulling", "Pulled", "Created", "Started"} <= set(reasons)
    stamps = [e["lastTimestamp"] for e in events]
    assert stamps == sorted(stamps, reverse=True)


async def test_events_of_another_framework_find_nothing(sim: Sim) -> None:
    job = await sim.job_named("vit-l16-mpi-2")
    assert job["jobId"].startswith("mpijob-")
    path = f"/api/v1/aijobs/{job['jobId']}/events"
    wrong = (await sim.api.get(path, params=_params(job, jobFramework="PyTorchJob"))).json()
    right = (await sim.api.get(path, params=_params(job, jobFramework="MPIJob"))).json()
    assert wrong["total"] == 0
    assert right["total"] > 0


async def test_every_metric_type_has_a_series_per_pod(sim: Sim) -> None:
    job = await _running(sim)
    path = f"/api/v1/aijobs/{job['jobId']}/metrics"
    for metric in MetricType:
        params = _params(job, metricType=metric.value, startTime=int(START) - 3_600, timeStep="5m")
        response = await sim.api.get(path, params=params)
        assert response.status_code == 200, (metric, response.text)
        result = response.json()["result"]
        assert result["jobId"] == job["jobId"]
        pods = [p["podName"] for p in result["podMetrics"]]
        assert pods == ["llama2-13b-pretrain-7-master-0", "llama2-13b-pretrain-7-worker-0"]
        points = result["podMetrics"][0]["metrics"]
        assert len(points) == 13
        assert all(p["value"] is not None for p in points)


async def test_metrics_refuse_unknown_types_and_bad_steps(sim: Sim) -> None:
    job = await _running(sim)
    path = f"/api/v1/aijobs/{job['jobId']}/metrics"
    for params in ({"metricType": "Vibes"}, {"metricType": "GpuUsage", "timeStep": "soon"}, {}):
        response = await sim.api.get(path, params=_params(job, **params))
        assert response.status_code == 400, params


async def test_job_nodes_say_job_id_and_a_node_name_array(sim: Sim) -> None:
    job = await _running(sim)
    result = (await sim.api.get(f"/api/v1/aijobs/{job['jobId']}/nodes", params=_params(job))).json()
    assert set(result["result"]) == {"jobID", "nodeName"}
    assert result["result"]["jobID"] == job["jobId"]
    assert all(name.startswith("192.168.") for name in result["result"]["nodeName"])
    queued = await sim.job_named("llama2-7b-pretrain-9")
    body = (
        await sim.api.get(f"/api/v1/aijobs/{queued['jobId']}/nodes", params=_params(queued))
    ).json()
    assert body["result"]["nodeName"] == []


async def test_web_terminal_for_a_running_pod_only(sim: Sim) -> None:
    job = await _running(sim)
    path = f"/api/v1/aijobs/{job['jobId']}/pods/llama2-13b-pretrain-7-master-0/webterminal"
    response = await sim.api.get(path, params=_params(job, pingTimeoutSecond=60))
    url = response.json()["result"]["WebTerminalUrl"]
    assert url.startswith("wss://cce-webshell-bj.bce.baidu.com/api/v1/containerwebshell/establish/")
    assert url.endswith("?handshakeTimeoutSecond=30&pingTimeoutSecond=60")
    too_long = await sim.api.get(path, params=_params(job, pingTimeoutSecond=4000))
    assert too_long.status_code == 400
    done = await sim.job_named("llama2-13b-sft-1")
    closed = await sim.api.get(
        f"/api/v1/aijobs/{done['jobId']}/pods/llama2-13b-sft-1-master-0/webterminal",
        params=_params(done),
    )
    assert closed.status_code == 400


def _epoch(go_time: str) -> int:
    return int(
        datetime.strptime(go_time, "%Y-%m-%d %H:%M:%S +0000 UTC").replace(tzinfo=UTC).timestamp()
    )


async def test_events_start_and_end_time_cut_the_story_at_a_moment(sim: Sim) -> None:
    job = await _running(sim)
    path = f"/api/v1/aijobs/{job['jobId']}/events"

    async def events(**window: int) -> list[dict[str, Any]]:
        params = _params(job, jobFramework="PyTorchJob", **window)
        found: list[dict[str, Any]] = (await sim.api.get(path, params=params)).json()["events"]
        return found

    everything = await events()
    moments = sorted({_epoch(e["firstTimestamp"]) for e in everything})
    assert len(moments) >= 2
    middle = moments[len(moments) // 2]

    later = await events(startTime=middle)
    earlier = await events(endTime=middle - 1)
    assert later
    assert earlier
    assert all(_epoch(e["firstTimestamp"]) >= middle for e in later)
    assert all(_epoch(e["lastTimestamp"]) < middle for e in earlier)
    assert len(later) < len(everything)
    newest = max(_epoch(e["lastTimestamp"]) for e in everything)
    assert await events(startTime=moments[0], endTime=newest) == everything
